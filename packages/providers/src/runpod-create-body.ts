import { podName } from './types.ts'
import type { CreatePodRequest } from './types.ts'

/**
 * Linux refuses to exec an argument longer than 128 KiB (MAX_ARG_STRLEN), and `args` reaches
 * bash as one argument (twice: `bash -c '…'` starts a second bash). RunPod's OpenAPI document
 * sets no maxLength on `args`; this margin keeps the whole line under the kernel's limit.
 */
export const MAX_ARGS_BYTES = 120_000

/** Size of the persistent /workspace volume each pod gets (GB). */
export const DEFAULT_VOLUME_GB = 20

/** Paths we interpolate into the args line: absolute, and nothing bash would expand or split. */
const SAFE_PATH = /^\/[A-Za-z0-9._/-]*$/

export function assertSafeWorkspacePath(path: string): void {
  if (!SAFE_PATH.test(path)) throw new TypeError(`workspacePath must match ${SAFE_PATH}`)
}

/**
 * The container command: decode the base64 script into the work directory, then run it.
 * Base64 holds only [A-Za-z0-9+/=], so it is safe bare inside the single-quoted `bash -c`.
 * The file is rewritten on every container restart; the script's own marker file keeps a
 * restarted container from running the job twice.
 */
export function bootstrapArgs(script: string, workspacePath: string): string {
  assertSafeWorkspacePath(workspacePath)
  const encoded = Buffer.from(script, 'utf8').toString('base64')
  const file = '"$d/podlaunch-bootstrap.sh"'
  return (
    `bash -c 'set -e; d="\${PODLAUNCH_WORKDIR:-${workspacePath}}"; mkdir -p "$d"; ` +
    `printf %s ${encoded} | base64 -d > ${file}; exec bash ${file}'`
  )
}

/** The `POST /v2/pods` body for one GPU candidate, within RunPod's CreatePodRequest schema. */
export function createPodBody(
  request: CreatePodRequest,
  gpuType: string,
  args: string,
  volume: { sizeGb: number; path: string } = { sizeGb: DEFAULT_VOLUME_GB, path: '/workspace' },
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    name: podName(request.deploymentId),
    image: request.image,
    // Without count the real API answers a misleading capacity 400 (RUNPOD.md).
    gpu: { id: gpuType, count: request.gpu.count },
    cloud: request.cloud ?? 'SECURE',
    env: { ...request.env },
    args,
    // The container disk may be wiped when RunPod restarts the container; the volume is not,
    // so the script's "finished" marker survives and a restart never runs the job twice.
    mounts: { persistent: { size: volume.sizeGb, path: volume.path } },
    startSsh: false,
    startJupyter: false,
  }
  if (request.diskGb !== undefined) body['disk'] = request.diskGb
  return body
}
