import { DEPLOYMENT_STATUSES, isLive } from '@podlaunch/contract'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { ErrorText } from '../components/error-text.tsx'
import { StatusBadge } from '../components/status-badge.tsx'
import { useNow } from '../components/use-now.ts'
import { formatAge, formatUsd } from '../lib/format.ts'
import { failureLabel, statusFilterValue } from '../lib/status.ts'
import { Link } from '../router/navigation.tsx'
import { hrefOf } from '../router/routes.ts'
import { useTRPC } from '../trpc.ts'

export function DeploymentsPage() {
  const trpc = useTRPC()
  const filterId = useId()
  const [filter, setFilter] = useState('all')
  const status = statusFilterValue(filter)
  const now = useNow()
  const list = useQuery(
    trpc.deployments.list.queryOptions(
      { limit: 100, ...(status ? { status } : {}) },
      {
        placeholderData: keepPreviousData,
        // Events refresh the list; cost so far grows without events, so live rows re-read it.
        refetchInterval: (query) => (query.state.data?.items.some((d) => isLive(d.status)) ? 15_000 : false),
      },
    ),
  )
  const items = list.data?.items ?? []
  return (
    <section>
      <div className="page-head">
        <h1>Deployments</h1>
        <Link href={hrefOf({ name: 'new-deployment' })} className="button primary">
          New deployment
        </Link>
      </div>
      <div className="toolbar">
        <label htmlFor={filterId}>Status</label>
        <select id={filterId} value={filter} onChange={(event) => setFilter(event.target.value)}>
          <option value="all">All</option>
          <option value="live">Live (not finished)</option>
          {DEPLOYMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <span className="muted" role="status">
          {list.isFetching ? 'Refreshing…' : `${items.length} shown`}
        </span>
      </div>
      <ErrorText error={list.error} prefix="Could not load deployments" />
      <div className="table-wrap">
        <table className="table" aria-label="Deployments">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Status</th>
              <th scope="col">Failure</th>
              <th scope="col">GPU</th>
              <th scope="col">Provider</th>
              <th scope="col" className="num">
                Cost so far
              </th>
              <th scope="col">Age</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-deployment-id={d.id}>
                <td>
                  <Link href={hrefOf({ name: 'deployment', id: d.id })}>{d.name}</Link>
                </td>
                <td>
                  <StatusBadge status={d.status} />
                </td>
                <td title={d.failureMessage ?? undefined}>{failureLabel(d.failureReason)}</td>
                <td>{d.gpuType ?? '—'}</td>
                <td>{d.provider}</td>
                <td className="num">{formatUsd(d.costUsd)}</td>
                <td title={d.createdAt}>{formatAge(d.createdAt, now)}</td>
              </tr>
            ))}
            {list.isSuccess && items.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">
                  No deployments{filter === 'all' ? ' yet' : ' with this status'}.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {list.data?.nextCursor && <p className="muted">Showing the newest 100.</p>}
    </section>
  )
}
