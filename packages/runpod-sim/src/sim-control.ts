import type { IncomingMessage, ServerResponse } from 'node:http'
import { patchFaultPlan } from './faults.ts'
import type { ApiContext } from './http-api.ts'
import { readJson } from './http-body.ts'
import { ProblemError, problem, sendJson } from './problem.ts'

/**
 * `/_sim/…`: the fault plan and pod faults over HTTP, for offline use (same bearer key as the
 * API; never subject to the fault plan itself).
 */
export async function handleControl(
  ctx: ApiContext,
  method: string,
  segments: string[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const [first, id, verb] = segments
  if (first === 'faults' && id === undefined) {
    if (method === 'GET') return sendJson(res, 200, ctx.faults)
    if (method === 'POST') {
      const errors = patchFaultPlan(ctx.faults, await readJson(req))
      if (errors.length > 0) throw new ProblemError(problem(422, 'Invalid fault plan.', errors))
      return sendJson(res, 200, ctx.faults)
    }
  }
  if (first === 'pods' && id === undefined && method === 'GET') {
    return sendJson(res, 200, { pods: ctx.manager.all().map((pod) => ctx.manager.info(pod)) })
  }
  const pod = id === undefined ? undefined : ctx.manager.record(id)
  if (first === 'pods' && pod !== undefined && method === 'POST') {
    if (verb === 'kill') {
      const body = (await readJson(req, true)) as { restart?: unknown } | null
      await ctx.manager.kill(pod, body?.restart !== false)
      return sendJson(res, 200, ctx.manager.info(pod))
    }
    if (verb === 'silence' || verb === 'resume') {
      if (verb === 'silence') ctx.manager.silence(pod)
      else ctx.manager.resume(pod)
      return sendJson(res, 200, ctx.manager.info(pod))
    }
  }
  throw new ProblemError(problem(404, 'resource not found'))
}
