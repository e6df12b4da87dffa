import { buildDeploymentScript, type DeploymentSpec, type ScriptDefaults } from '@podlaunch/script'
import { useEffect, useState } from 'react'

export type Preview =
  | { state: 'idle'; why: string }
  | { state: 'ready'; script: string; sha256: string; spec: DeploymentSpec }
  | { state: 'error'; message: string }

const DEBOUNCE_MS = 150

/**
 * The exact script the server would store, built in the browser with the same function and
 * the server's published defaults, so its sha256 matches what `create` records.
 */
export function useScriptPreview(
  spec: DeploymentSpec | undefined,
  datasetFilename: string | undefined,
  defaults: ScriptDefaults | undefined,
): Preview {
  const [preview, setPreview] = useState<Preview>({ state: 'idle', why: 'Fill in the form to see the script.' })
  useEffect(() => {
    if (!defaults) return setPreview({ state: 'idle', why: 'Loading the server defaults…' })
    if (!datasetFilename) return setPreview({ state: 'idle', why: 'Choose a dataset to see the script.' })
    if (!spec) return setPreview({ state: 'idle', why: 'The preview appears once the form is valid (name, GPU and train command).' })
    if (!globalThis.crypto?.subtle) {
      return setPreview({
        state: 'error',
        message: 'This page is not a secure context (https or localhost), so the browser cannot hash the script.',
      })
    }
    let cancelled = false
    const timer = setTimeout(() => {
      buildDeploymentScript(spec, { datasetFilename, defaults }).then(
        (resolved) => !cancelled && setPreview({ state: 'ready', script: resolved.script, sha256: resolved.sha256, spec }),
        (error: unknown) => !cancelled && setPreview({ state: 'error', message: error instanceof Error ? error.message : String(error) }),
      )
    }, DEBOUNCE_MS)
    return () => {
      cancelled = true
      clearTimeout(timer)
    }
  }, [spec, datasetFilename, defaults])
  return preview
}
