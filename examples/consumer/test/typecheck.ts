// Type-checks the example app in the outside project the way its users would compile it: strict,
// exactOptionalPropertyTypes, with and without skipLibCheck, under bundler and nodenext.
import { writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { run, type RunResult } from '@podlaunch/packaging'

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc')

export interface ConsumerConfig {
  name: string
  moduleResolution: 'bundler' | 'nodenext'
  skipLibCheck: boolean
  /** Write the JavaScript to dist/ (the run uses it). */
  emit?: boolean
  /** Resolve packages from these files instead of node_modules (the decay check). */
  paths?: Record<string, string[]>
}

export const CONFIGS: ConsumerConfig[] = [
  { name: 'bundler-skiplibcheck', moduleResolution: 'bundler', skipLibCheck: true },
  { name: 'bundler-libcheck', moduleResolution: 'bundler', skipLibCheck: false },
  { name: 'nodenext-skiplibcheck', moduleResolution: 'nodenext', skipLibCheck: true },
  { name: 'nodenext-libcheck', moduleResolution: 'nodenext', skipLibCheck: false },
]

export async function typecheck(projectDir: string, config: ConsumerConfig): Promise<RunResult> {
  const file = join(projectDir, `tsconfig.${config.name}.json`)
  const compilerOptions = {
    target: 'ES2022',
    lib: ['ES2023'],
    types: ['node'],
    module: config.moduleResolution === 'bundler' ? 'esnext' : 'nodenext',
    moduleResolution: config.moduleResolution,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: config.skipLibCheck,
    ...(config.emit ? { outDir: 'dist', rootDir: 'src', noEmitOnError: true } : { noEmit: true }),
    ...(config.paths ? { paths: config.paths } : {}),
  }
  await writeFile(file, `${JSON.stringify({ compilerOptions, include: ['src'] }, null, 2)}\n`)
  return run(process.execPath, [TSC, '-p', file, '--pretty', 'false'], { cwd: projectDir })
}

/**
 * With skipLibCheck off tsc also checks tRPC's own declarations, which no @trpc/client user
 * compiles cleanly: they name the DOM's RequestInfo, and import `ws`, whose types (@types/ws
 * 8.18) no longer give the `ws.WebSocket` they use. Those errors are tRPC's; every other one is
 * ours (the client's bundle, the contract, zod, the program).
 */
export function errorsOutsideTrpc(output: string): string[] {
  return output.split('\n').filter((line) => /: error TS\d+/.test(line) && !line.startsWith('node_modules/@trpc/'))
}

/** The lines tsc reported an unused @ts-expect-error directive on (TS2578), for one file. */
export function unusedDirectiveLines(output: string, fileName: string): number[] {
  const pattern = new RegExp(`${fileName.replace('.', '\\.')}\\((\\d+),\\d+\\): error TS2578`, 'g')
  return [...output.matchAll(pattern)].map((match) => Number(match[1]))
}

/** The lines of a source that hold a @ts-expect-error directive (1-based, as tsc counts). */
export function directiveLines(source: string): number[] {
  return source.split('\n').flatMap((line, index) => (/^\s*\/\/ @ts-expect-error/.test(line) ? [index + 1] : []))
}
