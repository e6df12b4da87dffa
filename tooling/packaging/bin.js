#!/usr/bin/env node
// `podlaunch-package-check`: checks the package in the current directory (see check.js).
import { problemsOf } from './check.js'

const problems = problemsOf(process.cwd())
if (problems.length) {
  process.stderr.write(`${process.cwd()} cannot be packed:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`)
  process.exit(1)
}
