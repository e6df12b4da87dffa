import type { IncomingMessage, ServerResponse } from 'node:http'
import { isAbsolute, resolve } from 'node:path'
import { defaultConfig, DEFAULT_DATA_DIR, type ServerConfig } from '../config.ts'
import type { ServerDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import { createHttpCore, type HttpCore } from '../http/app.ts'
import { fetchHandler } from '../http/fetch-adapter.ts'
import { nodeListener } from '../http/node-adapter.ts'
import { errorResponse } from '../http/respond.ts'
import { startReconciler, type Reconciler } from '../lifecycle/scheduler.ts'
import { createLogger } from '../logger.ts'
import { assemble, type Assembled, type StartResult } from './assemble.ts'
import type { PodlaunchOptions } from './options.ts'

export interface Podlaunch {
  /** A Node `http` request listener (also for Express and the like). */
  handler(req: IncomingMessage, res: ServerResponse): void
  /** A WHATWG fetch handler (Next.js route handlers, Hono, Bun, Deno). */
  fetch(request: Request): Promise<Response>
  /**
   * Opens the parts, migrates, makes sure of the administrator, starts the reconciler. Runs once;
   * later calls share the first. A request arriving first starts it too and waits for it.
   */
  start(): Promise<StartResult>
  /** Stops taking requests, ends open streams, waits for requests in flight, stops the reconciler, closes what it opened. */
  close(): Promise<void>
  /** The settings in force (defaults filled in). */
  readonly config: ServerConfig
  /** The running parts, once started (for tests and tools that call the router directly). */
  deps(): ServerDeps | undefined
}

const DEFAULT_DRAIN_TIMEOUT_MS = 10_000

/** The server library in one call: mount it in any Node or fetch-based host. */
export function createPodlaunch(options: PodlaunchOptions = {}): Podlaunch {
  const dataDir = resolveDataDir(options.dataDir)
  const config = defaultConfig({ ...options.config, dataDir, publicUrl: options.publicUrl, basePath: options.basePath })
  const logger = options.logger ?? createLogger({ level: options.logLevel })
  const shutdown = new AbortController()
  let running:
    { assembled: Assembled; core: HttpCore; node: Podlaunch['handler']; fetch: Podlaunch['fetch']; reconciler?: Reconciler } | undefined
  let starting: Promise<StartResult> | undefined
  let closing: Promise<void> | undefined

  const start = () =>
    (starting ??= (async () => {
      if (closing) throw new Error('podlaunch was closed')
      const assembled = await assemble(options, config, logger, shutdown.signal)
      const core = createHttpCore(assembled.deps, {
        adminDir: options.adminApp,
        authenticate: options.authenticate,
        trustedOrigins: [...(options.trustedOrigins ?? []), new URL(config.publicUrl).origin],
      })
      const reconciler = options.reconciler === false ? undefined : startReconciler(assembled.deps)
      running = { assembled, core, node: nodeListener(core), fetch: fetchHandler(core), reconciler }
      logger.info(
        { publicUrl: config.publicUrl, basePath: config.basePath || '/', providers: Object.keys(assembled.deps.providers) },
        'podlaunch ready',
      )
      return assembled.result
    })().catch((error: unknown) => {
      // A failed start (the database not up yet) may be tried again by the next request.
      starting = undefined
      throw error
    }))

  const unavailable = (message: string) => new AppError('UNAVAILABLE', message, { headers: { 'Retry-After': '1' } })

  return {
    config,
    deps: () => running?.assembled.deps,
    start,
    handler(req, res) {
      if (running) return running.node(req, res)
      start().then(
        () => running!.node(req, res),
        (error: unknown) => {
          logger.error({ err: error }, 'podlaunch could not start')
          const answer = errorResponse(unavailable(closing ? 'the server is shutting down' : 'the server could not start'))
          res.writeHead(answer.status, answer.headers).end(answer.body.kind === 'bytes' ? answer.body.bytes : undefined)
        },
      )
    },
    async fetch(request) {
      if (!running) {
        try {
          await start()
        } catch (error) {
          logger.error({ err: error }, 'podlaunch could not start')
          const answer = errorResponse(unavailable(closing ? 'the server is shutting down' : 'the server could not start'))
          return new Response(answer.body.kind === 'bytes' ? answer.body.bytes : null, { status: answer.status, headers: answer.headers })
        }
      }
      return running!.fetch(request)
    },
    close: () =>
      (closing ??= (async () => {
        await starting?.catch(() => undefined)
        if (!running) return
        const { core, reconciler, assembled } = running
        core.refusal = unavailable('the server is shutting down')
        // Open SSE streams end now; requests in flight get a while to finish.
        shutdown.abort()
        let timer: NodeJS.Timeout | undefined
        const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS)))
        await Promise.race([core.idle(), timeout])
        clearTimeout(timer)
        await reconciler?.stop()
        await assembled.release()
        logger.info('podlaunch stopped')
      })()),
  }
}

/** The data directory, absolute: as given, or `.podlaunch`, against the working directory. */
export function resolveDataDir(dir: string | undefined, cwd = process.cwd()): string {
  const chosen = dir ?? DEFAULT_DATA_DIR
  return isAbsolute(chosen) ? chosen : resolve(cwd, chosen)
}
