import { isLive, type DeploymentStatus } from '@podlaunch/contract'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { ErrorText } from '../components/error-text.tsx'
import { StatusBadge } from '../components/status-badge.tsx'
import { Link } from '../router/navigation.tsx'
import { useTRPC } from '../trpc.ts'
import { ArtifactsList } from './artifacts-list.tsx'
import { DeploymentFacts } from './deployment-facts.tsx'
import { FailureSummary } from './failure-summary.tsx'
import { LogTail } from './log-tail.tsx'
import { MetricsCharts } from './metrics-charts.tsx'
import { ScriptView } from './script-view.tsx'
import { StatusTimeline } from './status-timeline.tsx'
import { useLogTail } from './use-log-tail.ts'

const SAFETY_POLL_MS = 5_000

export function DeploymentDetailPage({ id }: { id: string }) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  // Events over SSE refresh these; a slow poll while live covers a dropped stream.
  const poll = (status: DeploymentStatus | undefined) => (status && isLive(status) ? SAFETY_POLL_MS : false)
  const deployment = useQuery(trpc.deployments.get.queryOptions({ id }, { refetchInterval: (q) => poll(q.state.data?.status) }))
  const live = deployment.data ? isLive(deployment.data.status) : undefined
  const events = useQuery(trpc.deployments.events.queryOptions({ id }, { refetchInterval: live ? SAFETY_POLL_MS : false }))
  const metrics = useQuery(trpc.deployments.metrics.queryOptions({ id }, { refetchInterval: live ? 2_000 : false }))
  const logs = useLogTail(id, live)
  const cancel = useMutation(
    trpc.deployments.cancel.mutationOptions({
      onSuccess: () => {
        setConfirming(false)
        void queryClient.invalidateQueries({ queryKey: trpc.deployments.get.queryKey({ id }) })
        void queryClient.invalidateQueries({ queryKey: trpc.deployments.events.queryKey({ id }) })
        void queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey() })
      },
    }),
  )

  if (deployment.isPending) return <p className="muted">Loading the deployment…</p>
  if (deployment.isError) {
    return (
      <section>
        <p>
          <Link href="/deployments">← Deployments</Link>
        </p>
        <ErrorText error={deployment.error} prefix="Could not load this deployment" />
      </section>
    )
  }
  const d = deployment.data
  return (
    <section className="detail">
      <p className="crumbs">
        <Link href="/deployments">← Deployments</Link>
      </p>
      <div className="page-head">
        <h1>
          {d.name} <StatusBadge status={d.status} />
        </h1>
        {isLive(d.status) && (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            Cancel deployment
          </button>
        )}
      </div>
      {/* A failed deployment answers "why" before anything else. */}
      {d.status === 'failed' && <FailureSummary deployment={d} events={events.data} logLines={logs.lines} />}
      <ErrorText error={cancel.error} prefix="Could not cancel" />
      <DeploymentFacts deployment={d} />
      <div className="grid-2">
        <StatusTimeline events={events.data} error={events.error} />
        <MetricsCharts points={metrics.data} error={metrics.error} />
      </div>
      <ArtifactsList deploymentId={id} live={Boolean(live)} />
      <LogTail lines={logs.lines} error={logs.error} loaded={logs.loaded} live={Boolean(live)} />
      <ScriptView script={d.script} sha256={d.scriptSha256} />
      <ConfirmDialog
        open={confirming}
        title="Cancel this deployment?"
        confirmLabel={cancel.isPending ? 'Cancelling…' : 'Yes, cancel it'}
        cancelLabel="Keep it running"
        danger
        busy={cancel.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => cancel.mutate({ id })}
      >
        <p>
          The pod of <strong>{d.name}</strong> is terminated and its job stops. This cannot be undone.
        </p>
      </ConfirmDialog>
    </section>
  )
}
