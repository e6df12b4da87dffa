// The one place this app reads process.env.
function required(name: string, fallback: string | undefined): string {
  const value = process.env[name] || fallback
  if (!value) throw new Error(`${name} must be set`)
  return value
}

export interface Env {
  publicUrl: string
  podlaunchDataDir: string | undefined
  databaseUrl: string | undefined
  sessionSecret: string
  demoPassword: string
  admins: ReadonlySet<string>
}

let read: Env | undefined

/** Read on first use, at run time (the build evaluates modules without the app's environment). */
export function env(): Env {
  return (read ??= readEnv())
}

function readEnv(): Env {
  const production = process.env.NODE_ENV === 'production'
  return {
    /** How browsers and pods reach this app (podlaunch builds upload, download and callback URLs from it). */
    publicUrl: required('PUBLIC_URL', 'http://127.0.0.1:3000').replace(/\/+$/, ''),
    /** podlaunch's data directory (embedded database, keys, datasets, local pods). */
    podlaunchDataDir: process.env.PODLAUNCH_DATA_DIR || undefined,
    /** A postgres:// URL; unset: embedded PGlite under the data directory. */
    databaseUrl: process.env.DATABASE_URL || undefined,
    /** Signs this app's session cookies. A development default only outside production. */
    sessionSecret: required('SESSION_SECRET', production ? undefined : 'development-only-session-secret'),
    /** The demo login's shared password. */
    demoPassword: required('DEMO_PASSWORD', production ? undefined : 'demo'),
    /** Users of this app who are podlaunch administrators (comma-separated names). */
    admins: new Set(
      (process.env.HOST_ADMINS ?? '')
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  }
}
