import { createRedactor, isCapacityAnswer, podsOf, toProviderPod } from './runpod-answers.ts'
import { DEFAULT_VOLUME_GB, MAX_ARGS_BYTES, assertSafeWorkspacePath, bootstrapArgs, createPodBody } from './runpod-create-body.ts'
import { callRunpod } from './runpod-http.ts'
import type { Answer, FetchFn, RunpodHttpOptions, SleepFn } from './runpod-http.ts'
import { ProviderError, podName } from './types.ts'
import type { CandidateAttempt, Provider, ProviderPod } from './types.ts'

/** RunPod's REST v2 API; apps point the provider elsewhere (runpod-sim) through `baseUrl`. */
export const DEFAULT_RUNPOD_URL = 'https://api.runpod.io/v2'

export interface RunpodProviderOptions {
  /** Account key; sent only in the Authorization header. */
  apiKey: string
  /** Default `DEFAULT_RUNPOD_URL`; undefined keeps the default. */
  baseUrl?: string | undefined
  fetch?: FetchFn
  sleep?: SleepFn
  /** Time for Retry-After dates; default the system clock. */
  clock?: () => Date
  /** Retries per call after a 429, a 5xx or a network error, default 4. */
  maxRetries?: number
  /** First 5xx backoff, doubled per retry, default 500 ms (tests pass 1). */
  backoffBaseMs?: number
  /** Longest 5xx backoff, default 30 s. */
  maxBackoffMs?: number
  /** Retry-After is honoured up to this many seconds, default 60. */
  maxRetryAfterSeconds?: number
  /** One HTTP request's limit, default 30 s; a timeout counts as a network error. */
  requestTimeoutMs?: number
  /** Where the script is written when the pod sets no PODLAUNCH_WORKDIR, default /workspace. */
  workspacePath?: string
  /** Size of the persistent volume mounted at workspacePath, default 20 GB. */
  volumeGb?: number
}

export interface RunpodProvider extends Provider {
  readonly name: 'runpod'
}

const defaultSleep: SleepFn = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** RunPod REST v2 over fetch. */
export function createRunpodProvider(options: RunpodProviderOptions): RunpodProvider {
  if (options.apiKey === '') throw new TypeError('apiKey is required')
  const workspacePath = options.workspacePath ?? '/workspace'
  assertSafeWorkspacePath(workspacePath)
  const clock = options.clock ?? (() => new Date())
  const base: RunpodHttpOptions = {
    apiKey: options.apiKey,
    baseUrl: options.baseUrl ?? DEFAULT_RUNPOD_URL,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    sleep: options.sleep ?? defaultSleep,
    maxRetries: options.maxRetries ?? 4,
    backoffBaseMs: options.backoffBaseMs ?? 500,
    maxBackoffMs: options.maxBackoffMs ?? 30_000,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? 60,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    now: () => clock().getTime(),
    redact: createRedactor([options.apiKey]),
  }

  const unexpected = (what: string, answer: Answer): ProviderError =>
    new ProviderError('provider_error', `RunPod ${what} failed: ${answer.status}: ${answer.detail}`, {
      status: answer.status,
      detail: answer.detail,
    })

  const podOf = (what: string, answer: Answer): ProviderPod => {
    const pod = toProviderPod(answer.json)
    if (pod === undefined) throw new ProviderError('provider_error', `RunPod ${what}: the answer is not a pod`, { status: answer.status })
    return pod
  }

  const listPods = async (namePrefix: string, http = base): Promise<ProviderPod[]> => {
    const answer = await callRunpod(http, 'GET', '/pods')
    if (answer.status !== 200) throw unexpected('list pods', answer)
    const pods = podsOf(answer.json)
    if (pods === undefined) throw new ProviderError('provider_error', 'RunPod list pods: the answer holds no pods array')
    return pods.flatMap((item) => {
      const pod = toProviderPod(item)
      return pod !== undefined && pod.name.startsWith(namePrefix) ? [pod] : []
    })
  }

  const getPod = async (podId: string): Promise<ProviderPod | undefined> => {
    if (podId === '') return undefined
    const answer = await callRunpod(base, 'GET', `/pods/${encodeURIComponent(podId)}`)
    if (answer.status === 404) return undefined
    if (answer.status !== 200) throw unexpected(`get pod ${podId}`, answer)
    return podOf(`get pod ${podId}`, answer)
  }

  return {
    name: 'runpod',

    async createPod(request, callOptions) {
      const signal = callOptions?.signal
      if (request.gpu.types.length === 0) throw new ProviderError('invalid_request', 'no GPU types to try')
      const args = bootstrapArgs(request.script, workspacePath)
      if (Buffer.byteLength(args) > MAX_ARGS_BYTES) {
        const bytes = Buffer.byteLength(request.script)
        const limit = `${MAX_ARGS_BYTES} bytes of args after base64`
        throw new ProviderError('invalid_request', `the bootstrap script (${bytes} bytes) is too large for RunPod (${limit})`)
      }
      // Errors must never carry what the pod gets: env values (tokens, URLs) and the script.
      const redact = createRedactor([options.apiKey, ...Object.values(request.env), args, request.script])
      const http: RunpodHttpOptions = { ...base, redact }
      const name = podName(request.deploymentId)
      const attempts: CandidateAttempt[] = []
      for (const gpuType of request.gpu.types) {
        let adopted: ProviderPod | undefined
        let answer: Answer
        try {
          answer = await callRunpod(http, 'POST', '/pods', {
            body: createPodBody(request, gpuType, args, { sizeGb: options.volumeGb ?? DEFAULT_VOLUME_GB, path: workspacePath }),
            signal,
            // A 5xx or a dropped connection may hide a created pod: adopt it rather than
            // create a second one with the same name (and bill twice).
            beforeAmbiguousRetry: async () => {
              const pods = await listPods(name, http)
              adopted = pods.find((pod) => pod.name === name && pod.status !== 'terminated')
              return adopted === undefined ? undefined : { status: 201, json: undefined, detail: '' }
            },
          })
        } catch (error) {
          if (!(error instanceof ProviderError) || error.code === 'aborted') throw error
          attempts.push({ gpuType, status: error.status ?? 0, detail: error.detail ?? error.message })
          throw new ProviderError(error.code, summarize('RunPod createPod failed', attempts), {
            status: error.status,
            detail: error.detail,
            attempts,
          })
        }
        if (adopted !== undefined) return adopted
        if (answer.status === 200 || answer.status === 201) return podOf('create pod', answer)
        attempts.push({ gpuType, status: answer.status, detail: answer.detail })
        if (isCapacityAnswer(answer.status, answer.detail) || answer.status === 403) continue
        throw new ProviderError('provider_error', summarize('RunPod createPod failed', attempts), {
          status: answer.status,
          detail: answer.detail,
          attempts,
        })
      }
      const last = attempts[attempts.length - 1]
      throw new ProviderError('no_capacity', summarize('no GPU candidate had capacity', attempts), {
        status: last?.status,
        detail: last?.detail,
        attempts,
      })
    },

    getPod,

    async terminatePod(podId) {
      if (podId === '') return
      const answer = await callRunpod(base, 'DELETE', `/pods/${encodeURIComponent(podId)}`)
      if (answer.status === 204 || answer.status === 200 || answer.status === 404) return
      if (answer.status === 409) {
        // Not terminable right now: done if it is gone or going, otherwise a real failure.
        const pod = await getPod(podId)
        if (pod === undefined || pod.status === 'terminated') return
      }
      throw unexpected(`terminate pod ${podId}`, answer)
    },

    listPods: (namePrefix) => listPods(namePrefix),
  }
}

function summarize(summary: string, attempts: CandidateAttempt[]): string {
  const parts = attempts.map((a) => `"${a.gpuType}" -> ${a.status === 0 ? 'no answer' : a.status}: ${a.detail}`)
  return `${summary}: ${parts.join('; ')}`
}
