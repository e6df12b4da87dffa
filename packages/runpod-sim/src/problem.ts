import type { ServerResponse } from 'node:http'

/** Capacity messages the real API has been seen to give (RUNPOD.md); all come with a 400. */
export const CAPACITY_WORDINGS = [
  'There are no longer any instances available with the requested specifications. Please refresh and try again.',
  'This machine does not have the resources to deploy your pod. Please try a different machine',
  'There are not enough free GPUs on the host machine to start this pod',
] as const

export const STATUS_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
}

export interface Problem {
  title: string
  status: number
  detail: string
  errors?: string[]
}

export function problem(status: number, detail: string, errors?: string[]): Problem {
  const body: Problem = { title: STATUS_TITLES[status] ?? 'Error', status, detail }
  if (errors !== undefined && errors.length > 0) body.errors = errors
  return body
}

/** Thrown by handlers; the router turns it into an `application/problem+json` answer. */
export class ProblemError extends Error {
  readonly problem: Problem
  readonly headers: Record<string, string>

  constructor(problemBody: Problem, headers: Record<string, string> = {}) {
    super(problemBody.detail)
    this.problem = problemBody
    this.headers = headers
  }
}

export function sendProblem(res: ServerResponse, body: Problem, headers: Record<string, string> = {}): void {
  res.writeHead(body.status, { ...headers, 'content-type': 'application/problem+json' })
  res.end(JSON.stringify(body))
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status)
  res.end()
}
