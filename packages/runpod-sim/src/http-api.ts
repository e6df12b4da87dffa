import { readFile } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { validateCreatePodBody } from './create-rules.ts'
import { checkCreateFaults, takeRateLimit, takeServerError } from './faults.ts'
import { parseJson, parseJsonOr, readJson, readText } from './http-body.ts'
import { handleControl } from './sim-control.ts'
import { checkPodActionSchema } from './openapi-schema.ts'
import { ActionConflictError } from './pod-manager.ts'
import type { PodManager } from './pod-manager.ts'
import { apiViewOf } from './pod-record.ts'
import type { PodRecord } from './pod-record.ts'
import { ProblemError, problem, sendEmpty, sendJson, sendProblem } from './problem.ts'
import type { RateLimitMeter } from './rate-limit.ts'
import type { Clock, FaultPlan, PodAction } from './types.ts'

export interface ApiContext {
  apiKey: string
  clock: Clock
  manager: PodManager
  faults: FaultPlan
  meter: RateLimitMeter
  createRequests: unknown[]
  /** null: any data center id is accepted. */
  dataCenters: readonly string[] | null
  capacityRotation: { next: number }
}

export function createRequestHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(ctx, req, res).catch((error: unknown) => {
      const planned = error instanceof ProblemError
      // A bug in the simulator must not pass for a planned, retryable 500.
      if (!planned) console.error('runpod-sim: internal error', error)
      const body = planned ? error.problem : problem(500, 'Something went wrong.')
      if (!res.headersSent) sendProblem(res, body, planned ? error.headers : {})
      else res.destroy()
    })
  }
}

async function handle(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim.local')
  const control = url.pathname.startsWith('/_sim/')
  if (!control && ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs)
  for (const [name, value] of Object.entries(ctx.meter.hit())) res.setHeader(name, value)
  authenticate(ctx, req)
  const method = req.method ?? 'GET'
  const isCreate = method === 'POST' && /^\/v2\/pods\/?$/.test(url.pathname)
  // Recorded before faults so contract tests also see the bodies that met a 429 or a 500.
  const createText = isCreate ? await readText(req) : undefined
  if (createText !== undefined) ctx.createRequests.push(parseJsonOr(createText, createText))
  const retryAfter = control ? undefined : takeRateLimit(ctx.faults)
  if (retryAfter !== undefined) {
    throw new ProblemError(problem(429, 'rate limit exceeded for the minute window'), {
      ...ctx.meter.headers(retryAfter),
      'Retry-After': String(retryAfter),
    })
  }
  if (!control) takeServerError(ctx.faults)
  const segments = url.pathname
    .split('/')
    .filter((part) => part !== '')
    .map(safeDecode)
  if (control) return handleControl(ctx, method, segments.slice(1), req, res)
  const [v2, pods, id, sub, ...rest] = segments
  if (v2 !== 'v2' || pods !== 'pods' || rest.length > 0) throw notFound()
  if (id === undefined) {
    if (method === 'GET') return listPods(ctx, url, res)
    if (method === 'POST') return createPod(ctx, parseJson(createText ?? ''), res)
    throw notFound()
  }
  const pod = ctx.manager.visible(id)
  if (sub === undefined && method === 'GET') return sendJson(res, 200, viewOf(ctx, podOr404(pod, id)))
  if (sub === undefined && method === 'DELETE') {
    await ctx.manager.terminate(podOr404(pod, id))
    return sendEmpty(res, 204)
  }
  if (sub === 'action' && method === 'POST') return podAction(ctx, podOr404(pod, id), req, res)
  if (sub === 'logs' && method === 'GET') return podLogs(podOr404(pod, id), url, res)
  throw notFound()
}

function authenticate(ctx: ApiContext, req: IncomingMessage): void {
  const header = req.headers.authorization
  if (header === undefined || !/^Bearer\s+\S/i.test(header)) {
    throw new ProblemError(problem(401, 'missing bearer token'))
  }
  if (header.replace(/^Bearer\s+/i, '').trim() !== ctx.apiKey) {
    throw new ProblemError(problem(401, 'invalid API key'))
  }
}

function listPods(ctx: ApiContext, url: URL, res: ServerResponse): void {
  const name = url.searchParams.get('name')
  const pods = ctx.manager
    .all()
    .filter((pod) => pod.status !== 'TERMINATED' && (name === null || pod.name === name))
    .map((pod) => viewOf(ctx, pod))
  sendJson(res, 200, { pods })
}

function createPod(ctx: ApiContext, body: unknown, res: ServerResponse): void {
  const check = validateCreatePodBody(body)
  if (!check.valid) throw new ProblemError(problem(check.status, check.detail, check.errors))
  const spec = check.body
  if (spec.templateId !== undefined) {
    // The simulator holds no templates, so every id is unknown, as the API answers one.
    throw new ProblemError(problem(404, `template not found: ${spec.templateId}`))
  }
  checkCreateFaults(ctx.faults, spec.gpu?.id, ctx.capacityRotation)
  const wanted = spec.dataCenterIds ?? []
  const unknown = ctx.dataCenters === null ? [] : wanted.filter((dc) => !ctx.dataCenters?.includes(dc))
  if (unknown.length > 0) {
    throw new ProblemError(problem(400, `Unknown data center id(s): ${unknown.join(', ')}.`))
  }
  const dataCenterId = wanted[0] ?? ctx.dataCenters?.[0] ?? 'US-TX-3'
  const pod = ctx.manager.create(spec, dataCenterId)
  sendJson(res, 201, viewOf(ctx, pod))
}

async function podAction(ctx: ApiContext, pod: PodRecord, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req)
  const check = checkPodActionSchema(body)
  if (!check.valid) throw new ProblemError(problem(422, 'Request validation failed.', check.errors))
  const action = (body as { action: PodAction }).action
  try {
    await ctx.manager.act(pod, action)
  } catch (error) {
    if (error instanceof ActionConflictError) throw new ProblemError(problem(409, error.message))
    throw error
  }
  if (action === 'terminate') return sendEmpty(res, 204)
  sendJson(res, 200, viewOf(ctx, pod))
}

async function podLogs(pod: PodRecord, url: URL, res: ServerResponse): Promise<void> {
  // The real endpoint streams Server-Sent Events; plain text is enough for tests and humans.
  const text = await readFile(pod.logPath, 'utf8').catch(() => '')
  const tail = Number(url.searchParams.get('tail') ?? '0')
  const lines = text.split('\n')
  const body = tail > 0 ? lines.slice(-tail - 1).join('\n') : text
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
  res.end(body)
}

function viewOf(ctx: ApiContext, pod: PodRecord): Record<string, unknown> {
  return apiViewOf(pod, ctx.clock.now())
}

function podOr404(pod: PodRecord | undefined, id: string): PodRecord {
  if (pod === undefined) throw new ProblemError(problem(404, `pod not found: ${id}`))
  return pod
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

function notFound(): ProblemError {
  return new ProblemError(problem(404, 'resource not found'))
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
