import { useNow } from '../components/use-now.ts'
import type { DeploymentDetail } from '../lib/api-types.ts'
import { formatAge, formatDateTime, formatDuration, formatUsd } from '../lib/format.ts'

/** Where it runs, what it costs, and whether its pod still exists. */
export function DeploymentFacts({ deployment: d }: { deployment: DeploymentDetail }) {
  const now = useNow()
  const podState = !d.providerPodId
    ? 'no pod created'
    : d.podTerminatedAt
      ? `terminated ${formatDateTime(d.podTerminatedAt)}`
      : 'running (billing)'
  return (
    <dl className="facts">
      <div>
        <dt>Provider</dt>
        <dd>{d.provider}</dd>
      </div>
      <div>
        <dt>GPU</dt>
        <dd>{d.gpuType ?? '—'}</dd>
      </div>
      <div>
        <dt>Pod</dt>
        <dd>
          <code>{d.providerPodId ?? '—'}</code>
        </dd>
      </div>
      <div>
        <dt>Pod state</dt>
        <dd data-testid="pod-state">{podState}</dd>
      </div>
      <div>
        <dt>Cost so far</dt>
        <dd>
          {formatUsd(d.costUsd)}
          {d.costPerHr !== null && <span className="muted"> ({formatUsd(d.costPerHr)}/h)</span>}
        </dd>
      </div>
      <div>
        <dt>Max cost</dt>
        <dd>{formatUsd(d.maxCostUsd)}</dd>
      </div>
      <div>
        <dt>Max runtime</dt>
        <dd>{d.maxRuntimeSeconds === null ? '—' : formatDuration(d.maxRuntimeSeconds)}</dd>
      </div>
      <div>
        <dt>Keep-alive</dt>
        <dd>{formatDuration(d.keepAliveSeconds)}</dd>
      </div>
      <div>
        <dt>Created</dt>
        <dd title={d.createdAt}>
          {formatDateTime(d.createdAt)} <span className="muted">({formatAge(d.createdAt, now)} ago)</span>
        </dd>
      </div>
      <div>
        <dt>Finished</dt>
        <dd>{formatDateTime(d.finishedAt)}</dd>
      </div>
      <div>
        <dt>Id</dt>
        <dd>
          <code>{d.id}</code>
        </dd>
      </div>
    </dl>
  )
}
