import { open, type FileHandle } from 'node:fs/promises'

/** A stored file opened for serving: read from this handle, never by path again. */
export interface OpenedFile {
  handle: FileHandle
  size: number
  modifiedAt: Date
}

/** Opens and fstats a stored file; undefined when it is not there. */
export async function openStoredFile(path: string): Promise<OpenedFile | undefined> {
  try {
    const handle = await open(path, 'r')
    const info = await handle.stat()
    return { handle, size: info.size, modifiedAt: info.mtime }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
