import { lstat, realpath } from 'node:fs/promises'
import { isAbsolute, resolve, sep } from 'node:path'
import { AppError } from '../errors.ts'

/**
 * Resolves a path given to `datasets.register` to a regular file inside the import root.
 * The check that matters is realpath + containment (it also defeats symlinks pointing out);
 * the early refusals only give clearer messages.
 */
export async function resolveImportPath(importRoot: string, input: string): Promise<string> {
  if (input.includes('\0')) throw refuse('the path contains a NUL byte')
  if (input.includes('\\')) throw refuse('backslashes are not path separators here')
  let root: string
  try {
    root = await realpath(importRoot)
  } catch {
    throw refuse('the import directory does not exist on this server')
  }
  const candidate = isAbsolute(input) ? input : resolve(root, input)
  let real: string
  try {
    real = await realpath(candidate)
  } catch {
    throw refuse('no such file under the import directory')
  }
  if (!real.startsWith(root + sep)) throw refuse('the path leaves the import directory')
  const info = await lstat(real)
  if (!info.isFile()) throw refuse('the path is not a regular file')
  return real
}

function refuse(message: string) {
  return new AppError('PATH_NOT_ALLOWED', message)
}
