// The one place that reads process.env for the server app. Settings the server library owns
// stay undefined when unset, so its defaultConfig (and the providers' own defaults) decide them.
import { PROVIDERS } from '@podlaunch/contract'
import { minimalHostEnv } from '@podlaunch/providers'
import { resolveDataDir } from '@podlaunch/server'
import { z } from 'zod'

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const seconds = () => z.coerce.number().int('must be an integer').min(1, 'must be at least 1').optional()

const EnvSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a number' }).int('must be an integer').min(0).max(65535, 'must be at most 65535').default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .refine((value) => value === undefined || (/^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value)), {
      message: 'must be a postgres:// or postgresql:// URL',
    }),
  PODLAUNCH_DATA_DIR: z.string().min(1).optional(),
  PODLAUNCH_PUBLIC_URL: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .refine((value) => value === undefined || (/^https?:\/\//.test(value) && URL.canParse(value)), {
      message: 'must be an http:// or https:// URL',
    }),
  PODLAUNCH_ADMIN_API_KEY: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .refine((value) => value === undefined || /^pl_[A-Za-z0-9_-]{43}$/.test(value), {
      message: 'must be pl_ followed by 43 base64url characters',
    }),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  // Parsed (and checked) by @podlaunch/tokens, which names the variable on error.
  PODLAUNCH_SIGNING_KEY: z
    .string()
    .optional()
    .transform((value) => value || undefined),
  PODLAUNCH_VERIFICATION_KEYS: z
    .string()
    .optional()
    .transform((value) => value || undefined),
  PODLAUNCH_RUNPOD_API_KEY: z
    .string()
    .optional()
    .transform((value) => value || undefined),
  PODLAUNCH_RUNPOD_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  PODLAUNCH_DEFAULT_PROVIDER: z.enum(PROVIDERS).optional(),
  PODLAUNCH_RECONCILE_INTERVAL_SECONDS: seconds(),
  PODLAUNCH_HEARTBEAT_SECONDS: seconds(),
  PODLAUNCH_SHIP_INTERVAL_SECONDS: seconds(),
  // How long a deployment may wait for its pod to be recorded before the reconciler searches by name.
  PODLAUNCH_PENDING_GRACE_SECONDS: seconds(),
  PODLAUNCH_MAX_DATASET_BYTES: z.coerce.number().int('must be an integer').positive('must be positive').optional(),
})

/** Every variable the server reads (the README's configuration table lists the same). */
export const ENV_VARIABLES = Object.keys(EnvSchema.shape)

export type Env = z.infer<typeof EnvSchema> & {
  dataDir: string
  /** What local pods take from this environment (never the server's secrets). */
  hostEnv: Record<string, string>
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** Parses the environment; the error names the first bad variable and never echoes its value. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Env {
  const result = EnvSchema.safeParse(source)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const name = String(issue.path[0] ?? 'environment')
    throw new ConfigError(`invalid configuration: ${name} ${issue.message}`)
  }
  const env = result.data
  if (env.PODLAUNCH_DEFAULT_PROVIDER === 'runpod' && !env.PODLAUNCH_RUNPOD_API_KEY) {
    throw new ConfigError('invalid configuration: PODLAUNCH_RUNPOD_API_KEY is required when PODLAUNCH_DEFAULT_PROVIDER is runpod')
  }
  const dataDir = resolveDataDir(env.PODLAUNCH_DATA_DIR, cwd)
  return { ...env, dataDir, hostEnv: minimalHostEnv(source), PODLAUNCH_PUBLIC_URL: env.PODLAUNCH_PUBLIC_URL?.replace(/\/+$/, '') }
}

/** The URL pods use: the configured one, else this server's own address and actual port. */
export function publicUrlOf(env: Env, port: number): string {
  if (env.PODLAUNCH_PUBLIC_URL) return env.PODLAUNCH_PUBLIC_URL
  const host = env.HOST === '0.0.0.0' || env.HOST === '::' ? '127.0.0.1' : env.HOST
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}
