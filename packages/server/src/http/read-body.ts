import type { IncomingMessage } from 'node:http'
import type { z } from 'zod'
import { AppError } from '../errors.ts'

/** Reads a request body up to `maxBytes`; more is PAYLOAD_TOO_LARGE and reading stops. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`)
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `the body is larger than ${maxBytes} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const body = await readBody(req, maxBytes)
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw new AppError('BAD_REQUEST', 'the body is not valid JSON')
  }
}

/** A JSON body checked against `schema`; the first issue becomes BAD_REQUEST naming its field. */
export async function readJsonAs<S extends z.ZodType>(req: IncomingMessage, maxBytes: number, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(await readJson(req, maxBytes))
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new AppError('BAD_REQUEST', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid body'}`)
}
