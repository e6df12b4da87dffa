import type { OpenedFile } from '../storage/opened-file.ts'

/**
 * The request every plain route sees, whichever adapter received it (Node's listener or a
 * WHATWG fetch handler). Adapters build it; routes never see IncomingMessage or Request.
 */
export interface PlainRequest {
  method: string
  /** The full URL as the client sent it (basePath included); routes match on `path`. */
  url: URL
  /** The path below the mount's basePath, e.g. `/v1/pod/events`. */
  path: string
  headers: Headers
  /** The body's bytes. Read it only through http/read-body.ts, the one place bodies are read. */
  body: AsyncIterable<Uint8Array>
  /** Aborted when the client goes away or the exchange is cut. */
  signal: AbortSignal
  /** Ends this exchange now: its body stops, nothing more is answered (a newer upload took over). */
  cut(): void
  /** True once every byte of the body has arrived (a refusal need not read on). */
  bodyComplete(): boolean
}

/** What a file answer carries: bytes [start, start + length) of an opened file. */
export interface FileRange {
  file: OpenedFile
  start: number
  length: number
}

export type PlainBody = { kind: 'empty' } | { kind: 'bytes'; bytes: Uint8Array<ArrayBuffer> } | ({ kind: 'file' } & FileRange)

/** How an answer ended: the body bytes handed to the client, and whether it was all of them. */
export interface Delivery {
  bytesSent: number
  complete: boolean
}

export interface PlainResponse {
  status: number
  headers: Record<string, string>
  body: PlainBody
  /**
   * Called once the body was delivered or abandoned (always exactly once, also for empty
   * bodies): closes what the body held and records what was sent. Adapters wait for nothing it does.
   */
  done?: (delivery: Delivery) => void | Promise<void>
}

export const EMPTY: PlainBody = { kind: 'empty' }

/** A JSON answer (never cached, never sniffed). */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): PlainResponse {
  const bytes = Buffer.from(JSON.stringify(body))
  return {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(bytes.length),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    },
    body: { kind: 'bytes', bytes },
  }
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): PlainResponse {
  return { status, headers, body: EMPTY }
}

/** Runs a response's `done` once, never throwing into the adapter. */
export function finish(response: PlainResponse, delivery: Delivery, onError: (error: unknown) => void): void {
  if (!response.done) return
  try {
    Promise.resolve(response.done(delivery)).catch(onError)
  } catch (error) {
    onError(error)
  }
}
