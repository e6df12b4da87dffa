const STORAGE_KEY = 'podlaunch.apiKey'

/** sessionStorage: the key lives as long as the tab, and never in localStorage. */
export function readApiKey(storage: Storage | undefined = globalThis.sessionStorage): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) ?? null
  } catch {
    return null
  }
}

export function writeApiKey(key: string, storage: Storage | undefined = globalThis.sessionStorage): void {
  try {
    storage?.setItem(STORAGE_KEY, key)
  } catch {
    // Storage can be disabled; the key then lasts until reload, which is still usable.
  }
}

export function clearApiKey(storage: Storage | undefined = globalThis.sessionStorage): void {
  try {
    storage?.removeItem(STORAGE_KEY)
  } catch {
    // See writeApiKey.
  }
}
