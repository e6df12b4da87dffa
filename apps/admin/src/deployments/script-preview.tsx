import type { Preview } from './use-script-preview.ts'

/** `fresh`: the preview shows the form as it is now (not a build still catching up). */
export function ScriptPreview({ preview, fresh }: { preview: Preview; fresh: boolean }) {
  return (
    <aside className="card preview" aria-labelledby="preview-title" aria-busy={!fresh}>
      <h2 id="preview-title">Script preview</h2>
      {preview.state === 'idle' && <p className="muted">{preview.why}</p>}
      {preview.state === 'error' && (
        <p className="error" role="alert">
          {preview.message}
        </p>
      )}
      {preview.state === 'ready' && (
        <>
          <p>
            sha256{' '}
            <code data-testid="preview-sha256" data-fresh={fresh}>
              {preview.sha256}
            </code>
          </p>
          <p className="hint">Built in this browser with the server's defaults: the server stores exactly these bytes.</p>
          <pre className="script" tabIndex={0} aria-label="Script preview">
            {preview.script}
          </pre>
        </>
      )}
    </aside>
  )
}
