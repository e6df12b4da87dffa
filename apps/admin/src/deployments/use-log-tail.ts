import { useEffect, useRef, useState } from 'react'
import type { LogLine } from '../lib/api-types.ts'
import { errorMessage } from '../lib/error-message.ts'
import { appendLines } from '../lib/log-lines.ts'
import { useTRPCClient } from '../trpc.ts'

const PAGE = 500
const MAX_LINES = 2_000
const POLL_MS = 2_000
// Final lines arrive after the terminal status (the pod ships its last batch): keep reading a bit.
const AFTER_END_MS = 8_000

/**
 * Follows `deployments.logs({id, after})`: reads everything once, then polls every 2 s while
 * the deployment is live and for a few seconds after it ends.
 */
export function useLogTail(id: string, live: boolean | undefined) {
  const client = useTRPCClient()
  const [lines, setLines] = useState<LogLine[]>([])
  const [error, setError] = useState<string | null>(null)
  const [loaded, setLoaded] = useState(false)
  const liveRef = useRef(live)
  const endedAt = useRef<number | null>(null)
  useEffect(() => {
    if (live === false && liveRef.current !== false) endedAt.current = Date.now()
    liveRef.current = live
  }, [live])

  // Kept across restarts of the loop below (it restarts when `live` changes).
  const cursor = useRef<string | undefined>(undefined)
  const held = useRef<LogLine[]>([])

  useEffect(() => {
    let cancelled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const pull = async () => {
      try {
        for (;;) {
          const page = await client.deployments.logs.query({ id, limit: PAGE, ...(cursor.current ? { after: cursor.current } : {}) })
          if (cancelled) return
          const last = page[page.length - 1]
          if (last) {
            // String(): the contract says ids are strings; some databases hand back numbers.
            cursor.current = String(last.id)
            held.current = appendLines(held.current, page, MAX_LINES)
            setLines(held.current)
          }
          if (page.length < PAGE) break
        }
        setError(null)
      } catch (caught) {
        if (!cancelled) setError(errorMessage(caught))
      }
      if (cancelled) return
      setLoaded(true)
      const ended = endedAt.current
      const keepGoing = liveRef.current !== false || (ended !== null && Date.now() - ended < AFTER_END_MS)
      // Until the deployment itself has loaded (`live` undefined), keep polling too.
      if (keepGoing) timer = setTimeout(pull, POLL_MS)
    }
    void pull()
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
    // Restarting the loop when `live` flips to false gives the final pulls.
  }, [client, id, live])

  return { lines, error, loaded }
}
