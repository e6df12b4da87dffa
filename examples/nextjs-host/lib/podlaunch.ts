import { createPodlaunch, type Podlaunch } from '@podlaunch/server'
import { env } from './env.ts'
import { sessionUser } from './session.ts'

export const PODLAUNCH_BASE_PATH = '/api/podlaunch'

// One instance per process: Next may evaluate this module more than once (each route's bundle,
// dev reloads), and the embedded database must be opened once.
const INSTANCE = Symbol.for('@podlaunch/example-nextjs-host/podlaunch')
type Holder = { [INSTANCE]?: Podlaunch }

/** podlaunch, mounted at /api/podlaunch; this app's signed-in users are podlaunch users. */
export function podlaunch(): Podlaunch {
  const holder = globalThis as Holder
  return (holder[INSTANCE] ??= createPodlaunch({
    basePath: PODLAUNCH_BASE_PATH,
    publicUrl: env().publicUrl,
    dataDir: env().podlaunchDataDir,
    databaseUrl: env().databaseUrl,
    authenticate(request) {
      const user = sessionUser(request.headers.get('cookie'))
      return user && { id: `example:${user.name}`, name: user.name, admin: env().admins.has(user.name) }
    },
  }))
}
