import { isTerminal, POD_BATCH_LIMITS, PodBatchSchema } from '@podlaunch/contract'
import { assertNotRevoked, isTokenError, tokenErrorStatus, verifyToken } from '@podlaunch/tokens'
import type { ServerDeps } from '../context.ts'
import { POD_EVENTS_PATH } from '../deployments/pod-env.ts'
import { AppError } from '../errors.ts'
import { readJson } from '../http/read-body.ts'
import { sendAppError, sendError, sendJson } from '../http/respond.ts'
import type { HttpRoute } from '../http/route.ts'
import { tokenFromRequest } from '../http/token-param.ts'
import { onTerminal, terminateDeploymentPod } from '../lifecycle/teardown.ts'
import { ingestBatch } from './ingest.ts'

/**
 * POST /v1/pod/events: a pod's status, logs, metrics and heartbeats, authenticated by its
 * own pod token. The deployment comes from the token; a batch naming another one is refused.
 */
export function podEventsRoute(deps: ServerDeps): HttpRoute {
  return {
    methods: ['POST'],
    path: POD_EVENTS_PATH,
    async handle(req, res, _params, url) {
      let deploymentId: string
      try {
        const token = await verifyToken(deps.keyring, 'pod', tokenFromRequest(req, url), { issuer: deps.config.issuer, now: deps.clock })
        await assertNotRevoked(deps.revocations, token.jti)
        deploymentId = token.claims.deployment_id
      } catch (error) {
        if (!isTokenError(error)) throw error
        // A pod without a token is unauthenticated (401), not a malformed request.
        const status = error.code === 'TOKEN_MISSING' ? 401 : tokenErrorStatus(error.code)
        return sendError(res, status, error.code, error.message, { Connection: 'close' })
      }
      try {
        const parsed = PodBatchSchema.safeParse(await readJson(req, POD_BATCH_LIMITS.bytes))
        if (!parsed.success) {
          const issue = parsed.error.issues[0]
          throw new AppError('BAD_REQUEST', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid batch'}`)
        }
        if (parsed.data.deploymentId && parsed.data.deploymentId !== deploymentId) {
          return sendError(res, 403, 'TOKEN_WRONG_DEPLOYMENT', 'this token belongs to another deployment')
        }
        const result = await ingestBatch(deps, deploymentId, parsed.data)
        sendJson(res, 200, { ok: true, duplicate: result.duplicate })
        if (!result.duplicate) afterIngest(deps, result.deployment, result.terminalNow, result.terminateRequested)
      } catch (error) {
        if (error instanceof AppError) return sendAppError(res, error, req.readableEnded ? {} : { Connection: 'close' })
        throw error
      }
    },
  }
}

/** Teardown runs after the answer, so a pod's report never waits on the provider. */
function afterIngest(deps: ServerDeps, deployment: Parameters<typeof onTerminal>[1], terminalNow: boolean, terminateRequested: boolean) {
  const work = async () => {
    if (terminalNow) await onTerminal(deps, deployment)
    // A pod that asks to be stopped after its job ended is stopped now.
    if (terminateRequested && isTerminal(deployment.status)) {
      await terminateDeploymentPod(deps, deployment, 'terminate_request')
    }
  }
  work().catch((error: unknown) => deps.logger.error({ err: error, deploymentId: deployment.id }, 'teardown after pod report failed'))
}
