import type { Hash } from 'node:crypto'

/**
 * This process's uploads in flight, one per artifact. A new PUT (or a re-declaration) takes
 * over: the older request is cut, so a half-open connection the pod already gave up on
 * cannot block its retry. Also keeps the sha256 state of cut uploads, so a resumed PUT does
 * not re-read the partial file when the state still matches its size.
 */
export interface UploadRegistry {
  /** Cuts any upload in flight for `id`, waits for it to wrap up, and holds `id` until release. */
  acquire(id: string, abort: () => void): Promise<() => void>
  /** The kept hash state if it covers exactly `bytes` bytes (handed over, not shared). */
  takeHash(id: string, bytes: number): Hash | undefined
  keepHash(id: string, bytes: number, hash: Hash): void
  forget(id: string): void
}

// A bound on remembered hash states; an evicted one only costs a re-read of the partial file.
const MAX_KEPT_HASHES = 1000

export function createUploadRegistry(): UploadRegistry {
  const active = new Map<string, { abort: () => void; done: Promise<void> }>()
  const hashes = new Map<string, { bytes: number; hash: Hash }>()
  return {
    async acquire(id, abort) {
      for (let holder = active.get(id); holder; holder = active.get(id)) {
        holder.abort()
        await holder.done
      }
      let release!: () => void
      const done = new Promise<void>((resolve) => {
        release = () => {
          if (active.get(id)?.done === done) active.delete(id)
          resolve()
        }
      })
      active.set(id, { abort, done })
      return release
    },
    takeHash(id, bytes) {
      const kept = hashes.get(id)
      hashes.delete(id)
      return kept && kept.bytes === bytes ? kept.hash : undefined
    },
    keepHash(id, bytes, hash) {
      hashes.delete(id)
      if (hashes.size >= MAX_KEPT_HASHES) hashes.delete(hashes.keys().next().value!)
      hashes.set(id, { bytes, hash })
    },
    forget(id) {
      hashes.delete(id)
    },
  }
}
