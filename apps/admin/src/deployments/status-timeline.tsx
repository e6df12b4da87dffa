import { ErrorText } from '../components/error-text.tsx'
import { StatusBadge } from '../components/status-badge.tsx'
import type { DeploymentEvent } from '../lib/api-types.ts'
import { formatDateTime } from '../lib/format.ts'

export function StatusTimeline({ events, error }: { events: readonly DeploymentEvent[] | undefined; error: unknown }) {
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <ErrorText error={error} prefix="Could not load events" />
      <ol className="timeline" aria-label="Status timeline">
        {(events ?? []).map((event) => (
          <li key={event.id}>
            <time dateTime={event.at}>{formatDateTime(event.at).slice(11)}</time>
            {event.status ? <StatusBadge status={event.status} /> : <span className="kind">{event.kind}</span>}
            {event.message && <span className="message">{event.message}</span>}
          </li>
        ))}
      </ol>
    </section>
  )
}
