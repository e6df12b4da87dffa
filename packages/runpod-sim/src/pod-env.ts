import type { PodRecord } from './pod-record.ts'

/**
 * The environment of a pod's process: the host's PATH and HOME, the body's `env`, what RunPod
 * itself sets inside a pod (a pod-scoped RUNPOD_API_KEY, never the account key), and last the
 * caller's `podEnv` extras, which win so tests can redirect paths.
 */
export function podProcessEnv(pod: PodRecord, hostEnv: Record<string, string>, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { ...hostEnv, ...pod.env }
  env['RUNPOD_POD_ID'] = pod.id
  env['RUNPOD_API_KEY'] = pod.podApiKey
  env['RUNPOD_GPU_COUNT'] = String(pod.gpu?.count ?? 0)
  env['RUNPOD_CPU_COUNT'] = String(pod.cpu?.vcpuCount ?? 8 * (pod.gpu?.count ?? 1))
  env['RUNPOD_DC_ID'] = pod.dataCenterId
  env['RUNPOD_POD_HOSTNAME'] = pod.hostname
  if (pod.cudaVersion !== null) env['CUDA_VERSION'] = pod.cudaVersion
  pod.ports.forEach((spec, index) => {
    const [port, type] = spec.split('/')
    if (type === 'tcp' && port !== undefined) env[`RUNPOD_TCP_PORT_${port}`] = String(40000 + index)
  })
  return { ...env, ...extra }
}
