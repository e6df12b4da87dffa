// Prints one line per package from a `pnpm test` log: files, tests, and whether it failed.
// With `turbo run test --continue` every package runs, so this table shows all of them.
import { readFileSync } from 'node:fs'

const log = readFileSync(process.argv[2] ?? 0, 'utf8').replace(/\x1b\[[0-9;]*m/g, '')
const rows = new Map()
const row = (name) => rows.get(name) ?? rows.set(name, { files: '-', tests: '-', duration: '-', failed: false }).get(name)
for (const line of log.split('\n')) {
  const match = /^(@podlaunch\/[\w-]+):test: (.*)$/.exec(line)
  if (!match) continue
  const [, name, text] = match
  const summary = /^\s*(Test Files|Tests|Duration)\s+(.*)$/.exec(text)
  if (summary) row(name)[{ 'Test Files': 'files', Tests: 'tests', Duration: 'duration' }[summary[1]]] = summary[2].trim()
  if (/ERR_PNPM_RECURSIVE_RUN_FIRST_FAIL|Command failed|ELIFECYCLE/.test(text)) row(name).failed = true
}
for (const failed of log.matchAll(/(@podlaunch\/[\w-]+)#test/g)) row(failed[1]).failed = true
const width = Math.max(...[...rows.keys()].map((name) => name.length), 7)
console.log(`${'package'.padEnd(width)}  result  tests / files / duration`)
for (const [name, r] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`${name.padEnd(width)}  ${r.failed ? 'FAILED' : 'ok    '}  ${r.tests} / ${r.files} / ${r.duration.replace(/\s*\(.*$/, '')}`)
}
