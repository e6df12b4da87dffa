import { DEPLOYMENT_STATUSES, isTerminal, type DeploymentStatus } from './lifecycle.ts'

// The one rule of which status changes are legal; the server's transition() enforces it under a
// row lock. Pods move forward through the live statuses; a lost report may skip one, never go back.

export function canTransition(from: DeploymentStatus, to: DeploymentStatus): boolean {
  if (isTerminal(from)) return false
  if (to === 'failed' || to === 'cancelled') return true
  if (to === 'succeeded') return from === 'training'
  // DEPLOYMENT_STATUSES is in lifecycle order, so "later" is "further along".
  return DEPLOYMENT_STATUSES.indexOf(to) > DEPLOYMENT_STATUSES.indexOf(from)
}

/** Statuses a deployment may be in for a transition to `to` to be legal. */
export function legalSources(to: DeploymentStatus): DeploymentStatus[] {
  return DEPLOYMENT_STATUSES.filter((from) => canTransition(from, to))
}
