import { sql } from 'kysely'
import type { ServerDeps } from '../context.ts'
import { sendJson } from './respond.ts'
import type { HttpRoute } from './route.ts'

const HEALTH_TIMEOUT_MS = 2_000

export function healthRoute(deps: Pick<ServerDeps, 'db'>): HttpRoute {
  return {
    methods: ['GET', 'HEAD'],
    path: '/healthz',
    async handle(_req, res) {
      const healthy = await Promise.race([
        sql`SELECT 1`.execute(deps.db).then(() => true, () => false),
        new Promise<boolean>((resolve) => setTimeout(resolve, HEALTH_TIMEOUT_MS, false).unref()),
      ])
      if (healthy) sendJson(res, 200, { status: 'ok' })
      else sendJson(res, 503, { status: 'unavailable', error: { code: 'UNAVAILABLE', message: 'the database does not answer' } })
    },
  }
}
