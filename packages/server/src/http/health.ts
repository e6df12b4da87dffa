import { sql } from 'kysely'
import type { ServerDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import { jsonResponse } from './exchange.ts'
import type { HttpRoute } from './route.ts'

const HEALTH_TIMEOUT_MS = 2_000

export function healthRoute(deps: Pick<ServerDeps, 'db'>): HttpRoute {
  return {
    methods: ['GET', 'HEAD'],
    path: '/healthz',
    async handle() {
      const healthy = await Promise.race([
        sql`SELECT 1`.execute(deps.db).then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((resolve) => setTimeout(resolve, HEALTH_TIMEOUT_MS, false).unref()),
      ])
      if (!healthy) throw new AppError('UNAVAILABLE', 'the database does not answer', { details: { status: 'unavailable' } })
      return jsonResponse(200, { status: 'ok' })
    },
  }
}
