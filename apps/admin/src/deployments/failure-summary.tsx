import { useLayoutEffect, useRef } from 'react'
import type { DeploymentDetail, DeploymentEvent, LogLine } from '../lib/api-types.ts'
import { lastLines } from '../lib/log-lines.ts'
import { failureLabel } from '../lib/status.ts'

const TAIL_LINES = 20

/** The failed status event's logTail (what the pod saw last), else the last stored log lines. */
export function failureTail(events: readonly DeploymentEvent[] | undefined, logLines: readonly LogLine[]): string[] {
  const failed = [...(events ?? [])].reverse().find((event) => event.status === 'failed')
  const tail = failed?.data?.logTail
  if (typeof tail === 'string' && tail.trim()) return lastLines(tail, TAIL_LINES)
  return logLines.slice(-TAIL_LINES).map((line) => line.line)
}

export function FailureSummary({
  deployment,
  events,
  logLines,
}: {
  deployment: Pick<DeploymentDetail, 'failureReason' | 'failureMessage'>
  events: readonly DeploymentEvent[] | undefined
  logLines: readonly LogLine[]
}) {
  const tail = failureTail(events, logLines)
  const logRef = useRef<HTMLPreElement>(null)
  // The error is at the end of the tail: show the end, not the start of the box.
  useLayoutEffect(() => {
    if (logRef.current) logRef.current.scrollTop = logRef.current.scrollHeight
  }, [tail.length])
  const failed = [...(events ?? [])].reverse().find((event) => event.status === 'failed')
  const exitCode = failed?.data?.exitCode
  return (
    <section className="failure" aria-labelledby="failure-title">
      <h2 id="failure-title">
        Failed: {failureLabel(deployment.failureReason)} <code>{deployment.failureReason}</code>
      </h2>
      {deployment.failureMessage && <p className="failure-message">{deployment.failureMessage}</p>}
      {typeof exitCode === 'number' && <p>Exit code {exitCode}</p>}
      <h3>Last log lines</h3>
      {tail.length ? (
        <pre ref={logRef} className="log failure-log" aria-label="Last log lines" tabIndex={0}>
          {tail.join('\n')}
        </pre>
      ) : (
        <p className="muted">No log lines were received.</p>
      )}
    </section>
  )
}
