import type { TokenClaims, TokenKind } from '@podlaunch/contract'
import { assertNotRevoked, mintToken, verifyToken } from '@podlaunch/tokens'
import { publicRouteUrl } from '../config.ts'
import type { ServerDeps } from '../context.ts'
import { AppError, toAppError } from '../errors.ts'
import type { OpenedFile } from '../storage/opened-file.ts'
import type { HttpRoute } from './route.ts'
import { serveFile } from './serve-file.ts'
import { tokenFromRequest } from './token-param.ts'

export interface DownloadTarget {
  file: OpenedFile
  sha256: string
  filename: string
}

export interface DownloadUrl {
  url: string
  jti: string
  expiresAt: Date
}

/**
 * Mints a token of `kind` for `subject` and builds the URL of the route at `path` that serves
 * it. The lifetime defaults to the configured one and may not exceed the configured cap.
 */
export async function mintDownloadUrl<K extends TokenKind>(
  deps: Pick<ServerDeps, 'keyring' | 'config' | 'clock'>,
  options: { kind: K; path: string; subject: string; claims: TokenClaims<K>; ttlSeconds?: number | undefined },
): Promise<DownloadUrl> {
  const ttlSeconds = options.ttlSeconds ?? deps.config.downloadTtlSeconds
  if (ttlSeconds > deps.config.maxDownloadTtlSeconds) {
    throw new AppError('BAD_REQUEST', `ttlSeconds must be at most ${deps.config.maxDownloadTtlSeconds}`)
  }
  const minted = await mintToken(deps.keyring, options.kind, {
    subject: options.subject,
    claims: options.claims,
    ttlSeconds,
    issuer: deps.config.issuer,
    now: deps.clock,
  })
  return { url: `${publicRouteUrl(deps.config, options.path)}?token=${minted.token}`, jti: minted.jti, expiresAt: minted.expiresAt }
}

export interface SignedDownloadOptions<K extends TokenKind> {
  path: string
  kind: K
  /** The stored file the token's claims name, or undefined when it is no longer available. */
  resolve(claims: TokenClaims<K>): Promise<DownloadTarget | undefined>
  /** What the download_log row records for this token. */
  logIds(claims: TokenClaims<K>): { datasetId: string | null; deploymentId: string | null }
  notFoundMessage: string
}

/**
 * GET|HEAD of a file named by a signed token, never by the request path. Check order: token
 * present and valid (401), audience (403), revoked (403, on every request, each Range request
 * too), file available (404). One download_log row per request whose token's signature
 * verified, with the bytes actually handed to the socket and the status answered.
 */
export function signedDownloadRoute<K extends TokenKind>(deps: ServerDeps, options: SignedDownloadOptions<K>): HttpRoute {
  const log = async (jti: string, claims: TokenClaims<K>, range: string | null, bytesSent: number, status: number) => {
    const ids = options.logIds(claims)
    try {
      await deps.db
        .insertInto('download_log')
        .values({
          jti,
          dataset_id: ids.datasetId,
          deployment_id: ids.deploymentId,
          range: range?.slice(0, 200) ?? null,
          bytes_sent: bytesSent,
          status,
        })
        .execute()
    } catch (error) {
      // The log must not turn a served download into a failure (e.g. the row's dataset was purged).
      deps.logger.warn({ err: error }, 'could not record a download')
    }
  }
  return {
    methods: ['GET', 'HEAD'],
    path: options.path,
    async handle(request) {
      const range = request.headers.get('range')
      const verified = await verifyToken(deps.keyring, options.kind, tokenFromRequest(request), {
        issuer: deps.config.issuer,
        now: deps.clock,
      })
      try {
        await assertNotRevoked(deps.revocations, verified.jti)
        const target = await options.resolve(verified.claims)
        if (!target) throw new AppError('NOT_FOUND', options.notFoundMessage)
        // The row records the bytes actually delivered, so it is written once the answer ends.
        return await serveFile(request, target, (outcome) =>
          log(verified.jti, verified.claims, outcome.range, outcome.bytesSent, outcome.status),
        )
      } catch (error) {
        // Refusals of a genuine token are logged too; the dispatcher answers them.
        await log(verified.jti, verified.claims, range, 0, toAppError(error)?.status ?? 500)
        throw error
      }
    },
  }
}
