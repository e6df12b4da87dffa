import type { DeploymentStatus } from '../lib/api-types.ts'
import { statusTone } from '../lib/status.ts'

export function StatusBadge({ status }: { status: DeploymentStatus }) {
  return (
    <span className={`badge badge-${statusTone(status)}`} data-status={status}>
      {status}
    </span>
  )
}
