import type { DeploymentStatus } from '@podlaunch/contract'
import { statusTone } from '../lib/status.ts'

export function StatusBadge({ status }: { status: DeploymentStatus }) {
  return (
    <span className={`badge badge-${statusTone(status)}`} data-status={status}>
      {status}
    </span>
  )
}
