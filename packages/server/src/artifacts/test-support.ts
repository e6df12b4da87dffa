// Shared by the artifact tests: deployment rows with real pod tokens, a provider that records
// terminations, and raw HTTP for the pod endpoints (cut connections included).
import { createHash } from 'node:crypto'
import { request } from 'node:http'
import type { DeploymentStatus, ProviderName } from '@podlaunch/contract'
import type { ServerDeps } from '../context.ts'
import { seedDeployment, type SeededDeployment } from '../lifecycle/test-support.ts'
import type { Provider } from '@podlaunch/providers'

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

export type PodDeployment = SeededDeployment

/** A training deployment with a pod on `provider`, a real pod token and an hour of keep-alive. */
export function podDeployment(
  deps: ServerDeps,
  ownerId: string,
  options: { status?: DeploymentStatus; spec?: Record<string, unknown>; provider?: ProviderName; podId?: string } = {},
): Promise<PodDeployment> {
  return seedDeployment(deps, ownerId, { status: 'training', keepAliveSeconds: 3600, ...options })
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
export async function call(
  base: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: Uint8Array | object,
  headers: Record<string, string> = {},
): Promise<Answer> {
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
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
  }
}

export async function declare(base: string, token: string, content: Uint8Array, name = 'model.tar.zst', sha = sha256(content)) {
  return call(base, 'POST', '/v1/pod/artifacts', token, { name, sizeBytes: content.length, sha256: sha })
}

/**
 * Starts a PUT announcing `range` and sends only `sendBytes`, then cuts the connection:
 * what a pod losing its network mid-upload looks like to the server.
 */
export async function cutUpload(
  base: string,
  path: string,
  token: string,
  chunk: Uint8Array,
  contentRange: string,
  announced: number,
): Promise<void> {
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
