import { isTerminal, TERMINAL_STATUSES, type DeploymentStatus } from '@podlaunch/contract'

export { isTerminal, TERMINAL_STATUSES }

// The one place that says which status changes are legal.
// Pods move forward through the phases; a lost report may skip a phase, never go back.
const PHASES: readonly DeploymentStatus[] = ['pending', 'provisioning', 'starting', 'downloading', 'training']

export function canTransition(from: DeploymentStatus, to: DeploymentStatus): boolean {
  if (isTerminal(from)) return false
  if (to === 'failed' || to === 'cancelled') return true
  if (to === 'succeeded') return from === 'training'
  return PHASES.indexOf(to) > PHASES.indexOf(from)
}

/** Statuses a deployment may be in for a transition to `to` to be legal. */
export function legalSources(to: DeploymentStatus): DeploymentStatus[] {
  return [...PHASES, ...TERMINAL_STATUSES].filter((from) => canTransition(from, to))
}
