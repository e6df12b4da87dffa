import type { ServerResponse } from 'node:http'
import type { FileRange } from './exchange.ts'

// Large reads keep syscalls and event-loop turns per byte low on fast links.
const READ_CHUNK = 1024 * 1024
// A few reusable buffers: fresh 1 MiB allocations per chunk cost page faults and GC, and
// bounding the buffers in flight bounds memory per download.
const BUFFERS_IN_FLIGHT = 4

/**
 * Node: copies the range from the open handle to the response with backpressure: each buffer
 * is reused only after the socket has taken its previous contents. Stops when the client goes
 * away. Returns the bytes handed to the socket; the caller ends the response.
 */
export async function writeFileRange(range: FileRange, res: ServerResponse): Promise<number> {
  const { file, start, length } = range
  const size = Math.min(READ_CHUNK, length)
  const buffers = Array.from({ length: Math.min(BUFFERS_IN_FLIGHT, Math.ceil(length / size)) }, () => Buffer.allocUnsafeSlow(size))
  const pending: (Promise<void> | undefined)[] = buffers.map(() => undefined)
  let closed = res.destroyed
  const onClose = () => (closed = true)
  res.once('close', onClose)
  let sent = 0
  try {
    for (let i = 0; sent < length && !closed; i = (i + 1) % buffers.length) {
      await pending[i]
      if (closed) break
      const buffer = buffers[i]!
      const { bytesRead } = await file.handle.read(buffer, 0, Math.min(size, length - sent), start + sent)
      if (bytesRead === 0) break // the file shrank under us; the client sees a short body
      const chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead)
      pending[i] = new Promise<void>((resolve) => res.write(chunk, () => resolve()))
      sent += bytesRead
      // Honour backpressure: wait for the socket to drain before reading further ahead.
      if (res.writableNeedDrain) await drainedOrClosed(res)
    }
  } finally {
    res.off('close', onClose)
  }
  return sent
}

/** Resolves once the response can take more, or is gone. */
export function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.once('drain', done)
    res.once('close', done)
  })
}

/**
 * WHATWG: the range as a pull byte stream. The host reads chunk by chunk; the stream reads the
 * file only when asked, so memory stays bounded whatever the file's size and however slow the
 * client. A host reading with a BYOB reader lends its own buffers and the file is read straight
 * into them (no allocation per chunk); a default reader gets a fresh chunk each time, which is
 * then the host's to keep. `onEnd` hears the bytes handed over and whether that was the whole range.
 */
export function fileRangeStream(range: FileRange, onEnd: (bytesSent: number, complete: boolean) => void): ReadableStream<Uint8Array> {
  const { file, start, length } = range
  let sent = 0
  let ended = false
  const end = (complete: boolean) => {
    if (ended) return
    ended = true
    onEnd(sent, complete)
  }
  return new ReadableStream(
    {
      type: 'bytes',
      async pull(controller) {
        // A BYOB read lends its buffer; a default reader's read gets a fresh one (not zero-filled).
        const request = controller.byobRequest
        const view = request?.view
        try {
          const room = Math.min(view ? view.byteLength : READ_CHUNK, length - sent)
          const target = view ? new Uint8Array(view.buffer, view.byteOffset, room) : Buffer.allocUnsafeSlow(room)
          const { bytesRead } = await file.handle.read(target, 0, room, start + sent)
          sent += bytesRead
          if (bytesRead === 0) {
            // The file shrank under us: the client sees fewer bytes than announced.
            controller.close()
            request?.respond(0)
            end(false)
            return
          }
          if (request) request.respond(bytesRead)
          else controller.enqueue(target.subarray(0, bytesRead))
          if (sent >= length) {
            controller.close()
            end(true)
          }
        } catch (error) {
          controller.error(error)
          end(false)
        }
      },
      cancel() {
        end(false)
      },
    },
    // No read-ahead: a chunk pulled ahead of a BYOB read would be allocated, then copied into the lent buffer.
    { highWaterMark: 0 },
  )
}
