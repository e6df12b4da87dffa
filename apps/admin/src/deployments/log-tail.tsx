import { useEffect, useRef } from 'react'
import type { LogLine } from '../lib/api-types.ts'

export function LogTail({
  lines,
  error,
  loaded,
  live,
}: {
  lines: readonly LogLine[]
  error: string | null
  loaded: boolean
  live: boolean
}) {
  const ref = useRef<HTMLPreElement>(null)
  const pinned = useRef(true)
  // Follow new lines only while the reader sits at the bottom; scrolling up stops following.
  useEffect(() => {
    const el = ref.current
    if (el && pinned.current) el.scrollTop = el.scrollHeight
  }, [lines])
  return (
    <section className="card" aria-labelledby="logs-title">
      <h2 id="logs-title">
        Logs <span className="muted">{live ? '(live)' : ''}</span>
      </h2>
      {error && (
        <p className="error" role="alert">
          Could not load logs: {error}
        </p>
      )}
      {loaded && lines.length === 0 ? (
        <p className="muted">No log lines yet.</p>
      ) : (
        <pre
          ref={ref}
          className="log"
          aria-label="Log tail"
          tabIndex={0}
          onScroll={(event) => {
            const el = event.currentTarget
            pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24
          }}
        >
          {lines.map((line) => line.line).join('\n')}
        </pre>
      )}
    </section>
  )
}
