import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

const config = {
  // The server library runs as Node loads it from node_modules, not bundled into the app: it
  // finds its SQL migrations beside its own files, PGlite its WebAssembly files, pino its workers.
  // (Inside this workspace its packages are TypeScript sources: `tsx` in NODE_OPTIONS loads them;
  // see package.json. Installed from the registry they are plain JavaScript.)
  serverExternalPackages: [
    '@podlaunch/contract',
    '@podlaunch/db',
    '@podlaunch/providers',
    '@podlaunch/script',
    '@podlaunch/server',
    '@podlaunch/tokens',
    '@electric-sql/pglite',
    'pg',
    'pino',
  ],
  // `pnpm typecheck` checks this app (tsconfig.json). Next's own check during the build would also
  // check the podlaunch packages' TypeScript sources under Next's global types, which make NODE_ENV
  // a required part of every ProcessEnv (a local pod's environment is one without it). Installed
  // from the registry the packages ship declarations, which skipLibCheck leaves alone.
  typescript: { ignoreBuildErrors: true },
  // The workspace root, so files outside this folder (the podlaunch packages) are traced.
  turbopack: { root },
  outputFileTracingRoot: root,
}

export default config
