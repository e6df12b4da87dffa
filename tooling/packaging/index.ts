export { packPackages, publicPackages, REPO_ROOT, tarballName } from './packages.ts'
export type { PublicPackage } from './packages.ts'
export { run, runOk } from './run.ts'
export type { RunResult } from './run.ts'
