// Bundles the client's declarations into one self-contained dist/index.d.ts: the router's types
// (from @podlaunch/server) and the script defaults (from @podlaunch/script) are written into it,
// so a consumer needs no podlaunch package but this one and the contract.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { dts } from 'rollup-plugin-dts'

const INLINED = ['@podlaunch/server', '@podlaunch/script']

/**
 * In the workspace those packages export their TypeScript sources; read them as they are
 * published instead (their built declarations, `publishConfig.exports`), so the bundle holds
 * only the declarations the client's types reach.
 */
function publishedDeclarations() {
  return {
    name: 'published-declarations',
    resolveId(id, importer) {
      if (!INLINED.includes(id) || !importer) return null
      const dir = packageDir(id, dirname(importer))
      const types = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).publishConfig.exports['.'].types
      return join(dir, types)
    },
  }
}

/** The directory of package `id` as Node would find it from `from` (pnpm links it in node_modules). */
function packageDir(id, from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', id)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dirname(dir) === dir) throw new Error(`${id} is not installed where ${from} can see it`)
  }
}

const { dependencies } = JSON.parse(readFileSync('package.json', 'utf8'))

/** Fails the build when the bundle imports a package a consumer of the client does not get. */
function onlyDependencies() {
  return {
    name: 'only-dependencies',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        const strays = (chunk.imports ?? []).filter((id) => !id.startsWith('node:') && !(packageName(id) in dependencies))
        if (strays.length) this.error(`dist/index.d.ts imports ${strays.join(', ')}, which @podlaunch/client does not depend on`)
      }
    },
  }
}

function packageName(id) {
  return id
    .split('/')
    .slice(0, id.startsWith('@') ? 2 : 1)
    .join('/')
}

export default {
  input: 'src/index.ts',
  output: { file: 'dist/index.d.ts', format: 'es' },
  // Any other package stays an import (rollup drops those the client's types never reach).
  external: (id) => !INLINED.includes(id) && !/^[./]/.test(id),
  plugins: [publishedDeclarations(), dts({ respectExternal: true, tsconfig: 'tsconfig.json' }), onlyDependencies()],
}
