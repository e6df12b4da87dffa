// Shared by the pod, lifecycle and event tests: deployment rows with real pod tokens, and
// pod batches posted over real HTTP.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { mintToken } from '@podlaunch/tokens'
import { isTerminal, type DeploymentStatus, type ProviderName } from '@podlaunch/contract'
import type { ServerDeps } from '../context.ts'

export interface SeededDeployment {
  id: string
  podToken: string
  podJti: string
}

/** A deployment row in `status` with a real pod token, as create would leave it (a pod only if given). */
export async function seedDeployment(
  deps: ServerDeps,
  ownerId: string,
  options: {
    status?: DeploymentStatus
    datasetId?: string
    provider?: ProviderName
    podId?: string
    spec?: Record<string, unknown>
    keepAliveSeconds?: number
  } = {},
): Promise<SeededDeployment> {
  const now = deps.clock()
  const status = options.status ?? 'provisioning'
  const row = await deps.db
    .insertInto('deployments')
    .values({
      owner_id: ownerId,
      dataset_id: options.datasetId ?? null,
      name: 'seeded',
      provider: options.provider ?? 'local',
      provider_pod_id: options.podId ?? null,
      status,
      spec: JSON.stringify(options.spec ?? {}),
      script: '#!/bin/bash\n',
      script_sha256: '0'.repeat(64),
      keep_alive_s: options.keepAliveSeconds ?? 60,
      created_at: now,
      updated_at: now,
      finished_at: isTerminal(status) ? now : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const token = await mintToken(deps.keyring, 'pod', {
    subject: row.id,
    claims: { deployment_id: row.id },
    ttlSeconds: 3600,
    issuer: deps.config.issuer,
    now: deps.clock,
  })
  await deps.db.updateTable('deployments').set({ pod_jti: token.jti }).where('id', '=', row.id).execute()
  return { id: row.id, podToken: token.token, podJti: token.jti }
}

export interface PostAnswer {
  status: number
  body: { ok?: boolean; duplicate?: boolean; error?: { code: string; message: string } }
}

/** POST /v1/pod/events with a bearer token (or none) and a body (object or raw text). */
export async function postEvents(baseUrl: string, token: string | undefined, body: unknown): Promise<PostAnswer> {
  const response = await fetch(`${baseUrl}/v1/pod/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: text ? (JSON.parse(text) as PostAnswer['body']) : {} }
}

export const at = () => new Date().toISOString()
export const log = (line: string) => ({ type: 'log', at: at(), line })
export const metric = (line: string) => ({ type: 'metric', at: at(), line })
export const status = (value: string, extra: Record<string, unknown> = {}) => ({ type: 'status', at: at(), status: value, ...extra })
export const heartbeat = () => ({ type: 'heartbeat', at: at() })

/** Live (not zombie) processes whose working directory is `root` or inside it. */
export function processesUnder(root: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`)
      if (cwd !== root && !cwd.startsWith(`${root}/`)) continue
      // Field 3 of /proc/<pid>/stat is the state; Z is a zombie (dead, not yet reaped).
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0]
      if (state !== 'Z') pids.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return pids
}

/** Kills whatever still runs under `root` (test cleanup); returns how many it signalled. */
export function killStrayProcesses(root: string): number {
  let killed = 0
  for (const pid of processesUnder(root)) {
    try {
      process.kill(pid, 'SIGKILL')
      killed += 1
    } catch {
      // already gone
    }
  }
  return killed
}

/** True once no process of the group `pgid` is left (SIGKILL is delivered asynchronously). */
export async function processGroupGone(pgid: number, timeoutMs = 3_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      process.kill(-pgid, 0)
    } catch {
      return true
    }
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
