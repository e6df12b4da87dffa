import { assertNotRevoked, verifyToken } from '@podlaunch/tokens'
import type { ServerDeps } from '../context.ts'
import { AppError } from '../errors.ts'
import type { PlainRequest } from '../http/exchange.ts'
import { tokenFromRequest } from '../http/token-param.ts'

/**
 * The deployment a pod request speaks for, from its pod token (revocation checked on every
 * request). Throws the TokenError as it is (no token or a bad one: 401; a download or artifact
 * token, or a revoked one: 403); the request handler answers it by its code.
 */
export async function podDeploymentOf(
  deps: Pick<ServerDeps, 'keyring' | 'revocations' | 'config' | 'clock'>,
  request: PlainRequest,
): Promise<string> {
  const token = await verifyToken(deps.keyring, 'pod', tokenFromRequest(request), { issuer: deps.config.issuer, now: deps.clock })
  await assertNotRevoked(deps.revocations, token.jti)
  return token.claims.deployment_id
}

export function wrongDeployment(): AppError<'TOKEN_WRONG_DEPLOYMENT'> {
  return new AppError('TOKEN_WRONG_DEPLOYMENT', 'this token belongs to another deployment')
}
