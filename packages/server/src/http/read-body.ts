import type { z } from 'zod'
import { AppError } from '../errors.ts'
import type { PlainRequest } from './exchange.ts'

/**
 * The one place a request body is read, for both adapters: routes take the bytes through
 * these functions and never iterate `request.body` themselves, so limits on size and idle
 * time apply to every route when they are set here.
 */
export function bodyStream(request: PlainRequest): AsyncIterable<Uint8Array> {
  return request.body
}

/** Reads a request body up to `maxBytes`; more is PAYLOAD_TOO_LARGE and reading stops. */
export async function readBody(request: PlainRequest, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`)
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of bodyStream(request)) {
    size += chunk.length
    if (size > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

export async function readJson(request: PlainRequest, maxBytes: number): Promise<unknown> {
  const body = await readBody(request, maxBytes)
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new AppError('BAD_REQUEST', 'the body is not valid JSON')
  }
}

/** A JSON body checked against `schema`; the first issue becomes BAD_REQUEST naming its field. */
export async function readJsonAs<S extends z.ZodType>(request: PlainRequest, maxBytes: number, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(await readJson(request, maxBytes))
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new AppError('BAD_REQUEST', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid body'}`)
}
