import type { IncomingMessage } from 'node:http'
import { assertNotRevoked, isTokenError, tokenErrorStatus, verifyToken } from '@podlaunch/tokens'
import type { ServerDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import { tokenFromRequest } from '../http/token-param.ts'

/**
 * The deployment a pod request speaks for, from its pod token (revocation checked on every
 * request). A download or artifact token has the wrong audience: 403. No token: 401.
 */
export async function podDeploymentOf(deps: Pick<ServerDeps, 'keyring' | 'revocations' | 'config' | 'clock'>, req: IncomingMessage, url: URL): Promise<string> {
  try {
    const token = await verifyToken(deps.keyring, 'pod', tokenFromRequest(req, url), { issuer: deps.config.issuer, now: deps.clock })
    await assertNotRevoked(deps.revocations, token.jti)
    return token.claims.deployment_id
  } catch (error) {
    if (!isTokenError(error)) throw error
    const status = error.code === 'TOKEN_MISSING' ? 401 : tokenErrorStatus(error.code)
    throw new AppError(error.code, error.message, status)
  }
}

export function wrongDeployment(): AppError {
  return new AppError('TOKEN_WRONG_DEPLOYMENT', 'this token belongs to another deployment', 403)
}
