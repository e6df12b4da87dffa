import type { ServerDeps } from '../context.ts'
import type { HttpRoute } from '../http/route.ts'
import { artifactDownloadRoute } from './download-route.ts'
import { podArtifactRoutes } from './pod-routes.ts'
import { createUploadRegistry } from './registry.ts'
import { createArtifactStore } from './store.ts'

/** Every plain-HTTP artifact route, sharing one store and one registry of uploads in flight. */
export function artifactRoutes(deps: ServerDeps): HttpRoute[] {
  const store = createArtifactStore(deps.config.artifactsDir)
  return [...podArtifactRoutes(deps, store, createUploadRegistry()), artifactDownloadRoute(deps, store)]
}
