import type { IncomingMessage } from 'node:http'
import { ProblemError, problem } from './problem.ts'

const MAX_BODY_BYTES = 4 * 1024 * 1024

export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new ProblemError(problem(413, 'Request body too large.'))
    chunks.push(chunk)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export function parseJsonOr(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return fallback
  }
}

export function parseJson(text: string): unknown {
  const invalid = Symbol('invalid')
  const value = parseJsonOr(text, invalid)
  if (value === invalid) throw new ProblemError(problem(400, 'Request body is not valid JSON.'))
  return value
}

export async function readJson(req: IncomingMessage, allowEmpty = false): Promise<unknown> {
  const text = await readText(req)
  return allowEmpty && text.trim() === '' ? null : parseJson(text)
}
