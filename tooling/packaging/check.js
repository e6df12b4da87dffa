// `prepack` of every published package (so `pnpm pack`, `pnpm publish` and CI's dry-run publish
// run it): refuses to pack a package whose published exports point at files that are missing
// (not built, or left out of `files`) or whose build still holds TypeScript sources.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, normalize, relative } from 'node:path'

const REQUIRED_FIELDS = ['name', 'version', 'license', 'repository', 'engines', 'files', 'exports']

/** Every target file of an exports map (conditions nested at any depth). */
function targetsOf(exportsMap) {
  if (typeof exportsMap === 'string') return [exportsMap]
  if (!exportsMap || typeof exportsMap !== 'object') return []
  return Object.values(exportsMap).flatMap(targetsOf)
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

/** What is wrong with the package in `dir` as it would be packed; empty when nothing is. */
export function problemsOf(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const published = { ...manifest, ...manifest.publishConfig }
  const problems = REQUIRED_FIELDS.filter((field) => published[field] === undefined).map((field) => `package.json has no "${field}"`)
  if (manifest.private) problems.push('package.json says "private": true')
  const shipped = (published.files ?? []).map((entry) => normalize(entry))
  for (const target of targetsOf(published.exports)) {
    const file = normalize(target)
    if (!shipped.some((entry) => file === entry || file.startsWith(`${entry}/`))) problems.push(`${target} is exported but not in "files"`)
    else if (!existsSync(join(dir, file))) problems.push(`${target} is exported but missing (run the package's build)`)
  }
  for (const entry of shipped) {
    if (!existsSync(join(dir, entry))) continue
    const sources = filesUnder(join(dir, entry)).filter((file) => /\.(c|m)?tsx?$/.test(file) && !/\.d\.(c|m)?ts$/.test(file))
    for (const file of sources) problems.push(`${relative(dir, file)} is TypeScript source; Node cannot run it`)
  }
  return problems
}
