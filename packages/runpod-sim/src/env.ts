// The one place this package reads process.env: the standalone CLI's settings (main.ts).
import type { RunpodSimOptions } from './types.ts'

export class SimEnvError extends Error {
  override name = 'SimEnvError'
}

/**
 * The simulator's options from an environment: PORT, RUNPOD_SIM_API_KEY, RUNPOD_SIM_WORK_ROOT,
 * RUNPOD_SIM_PROVISIONING_MS (benchmarks keep pods PROVISIONING, so no pod process runs), and
 * PATH and HOME, which the CLI's pods start from so they find this machine's tools.
 */
export function simOptionsFromEnv(source: Readonly<Record<string, string | undefined>> = process.env): RunpodSimOptions {
  const port = Number(source['PORT'] || '0')
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new SimEnvError(`PORT must be an integer 0-65535, got ${source['PORT']}`)
  }
  const provisioning = source['RUNPOD_SIM_PROVISIONING_MS']
  const provisioningMs = provisioning ? Number(provisioning) : undefined
  if (provisioningMs !== undefined && !(Number.isInteger(provisioningMs) && provisioningMs >= 0)) {
    throw new SimEnvError(`RUNPOD_SIM_PROVISIONING_MS must be a whole number of milliseconds, got ${provisioning}`)
  }
  const hostEnv: Record<string, string> = {}
  for (const name of ['PATH', 'HOME'] as const) {
    const value = source[name]
    if (value !== undefined) hostEnv[name] = value
  }
  return {
    port,
    apiKey: source['RUNPOD_SIM_API_KEY'] || undefined,
    workRoot: source['RUNPOD_SIM_WORK_ROOT'] || undefined,
    ...(provisioningMs === undefined ? {} : { provisioningMs }),
    hostEnv,
  }
}
