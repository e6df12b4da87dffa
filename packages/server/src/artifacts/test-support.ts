// Shared by the artifact tests: deployment rows with real pod tokens, a provider that records
// terminations, and raw HTTP for the pod endpoints (cut connections included).
import { createHash } from 'node:crypto'
import { request } from 'node:http'
import { mintToken } from '@podlaunch/tokens'
import type { DeploymentStatus } from '@podlaunch/db'
import type { ServerDeps } from '../context.ts'
import type { Provider } from '../providers/types.ts'

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

export interface PodDeployment {
  id: string
  podToken: string
  podJti: string
}

/** A deployment row with a pod on `provider` and a real pod token. */
export async function podDeployment(
  deps: ServerDeps,
  ownerId: string,
  options: { status?: DeploymentStatus; spec?: Record<string, unknown>; provider?: 'local' | 'runpod'; podId?: string } = {},
): Promise<PodDeployment> {
  const now = deps.clock()
  const terminal = options.status === 'succeeded' || options.status === 'failed'
  const row = await deps.db
    .insertInto('deployments')
    .values({
      owner_id: ownerId,
      name: 'artifact-test',
      provider: options.provider ?? 'local',
      provider_pod_id: options.podId ?? null,
      status: options.status ?? 'training',
      spec: JSON.stringify(options.spec ?? {}),
      script: '#!/bin/bash\n',
      script_sha256: '0'.repeat(64),
      keep_alive_s: 3600,
      created_at: now,
      updated_at: now,
      finished_at: terminal ? now : null,
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

/** A provider whose pods only exist as ids; it records which ones were terminated. */
export function recordingProvider(): Provider & { terminated: string[] } {
  const terminated: string[] = []
  return {
    name: 'local',
    terminated,
    createPod: async () => ({ podId: 'p', name: 'p', status: 'running', gpuType: null, costPerHr: null }),
    getPod: async () => undefined,
    terminatePod: async (podId) => {
      terminated.push(podId)
    },
    listPods: async () => [],
  }
}

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Record<string, unknown>
}

/** One request to the server with a bearer token; the body is sent whole. */
export async function call(base: string, method: string, path: string, token: string | undefined, body?: Uint8Array | object, headers: Record<string, string> = {}): Promise<Answer> {
  const payload = body === undefined ? undefined : body instanceof Uint8Array ? body : Buffer.from(JSON.stringify(body))
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(payload ? { body: payload } : {}),
  })
  const text = await response.text()
  return { status: response.status, headers: Object.fromEntries(response.headers), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}

export async function declare(base: string, token: string, content: Uint8Array, name = 'model.tar.zst', sha = sha256(content)) {
  return call(base, 'POST', '/v1/pod/artifacts', token, { name, sizeBytes: content.length, sha256: sha })
}

/**
 * Starts a PUT announcing `range` and sends only `sendBytes`, then cuts the connection:
 * what a pod losing its network mid-upload looks like to the server.
 */
export async function cutUpload(base: string, path: string, token: string, chunk: Uint8Array, contentRange: string, announced: number): Promise<void> {
  const url = new URL(path, base)
  await new Promise<void>((resolve) => {
    const req = request(url, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-range': contentRange, 'content-length': String(announced) },
    })
    req.on('error', () => resolve())
    req.write(chunk, () => {
      setTimeout(() => {
        req.destroy()
        resolve()
      }, 100)
    })
  })
}
