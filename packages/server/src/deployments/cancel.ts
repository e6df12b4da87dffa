import { isTerminal } from '@podlaunch/contract'
import { AppError } from '../errors.ts'
import { onTerminal } from '../lifecycle/teardown.ts'
import type { AuthedContext } from '../trpc.ts'
import { findOwnDeployment } from './queries.ts'
import { transition } from './transition.ts'
import { toDeploymentView } from './view.ts'

/** Cancels a live deployment: status cancelled, pod terminated (confirmed), tokens revoked. */
export async function cancelDeployment({ ctx, input }: { ctx: AuthedContext; input: { id: string } }) {
  const current = await findOwnDeployment(ctx, input.id)
  if (isTerminal(current.status)) {
    throw new AppError('ILLEGAL_TRANSITION', `the deployment is already ${current.status}`)
  }
  const moved = await transition(ctx.db, current.id, {
    to: 'cancelled',
    reason: 'cancelled',
    message: 'cancelled by user',
    at: ctx.clock(),
  })
  if (!moved.ok) {
    throw new AppError('ILLEGAL_TRANSITION', `the deployment is already ${moved.current?.status ?? 'gone'}`)
  }
  await onTerminal(ctx, moved.deployment)
  return toDeploymentView(await findOwnDeployment(ctx, current.id), ctx.clock())
}
