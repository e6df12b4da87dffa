export function ScriptView({ script, sha256 }: { script: string; sha256: string }) {
  return (
    <section className="card" aria-labelledby="script-title">
      <h2 id="script-title">Bootstrap script</h2>
      <p>
        sha256 <code data-testid="stored-sha256">{sha256}</code>
      </p>
      <details>
        <summary>Show the stored script ({script.split('\n').length} lines)</summary>
        <pre className="script" tabIndex={0}>
          {script}
        </pre>
      </details>
    </section>
  )
}
