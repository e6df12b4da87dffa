import { useId, useState } from 'react'

/**
 * A read-only field with a copy button. The value is always visible and selectable, because
 * the clipboard API can be missing (plain http, headless browsers, denied permission).
 */
export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const id = useId()
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const copy = async () => {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(value)
      setState('copied')
    } catch {
      setState('failed')
    }
  }
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input id={id} readOnly value={value} data-testid={testId} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <span className="muted" role="status">
        {state === 'copied'
          ? 'Copied to the clipboard.'
          : state === 'failed'
            ? 'Copying is not available here: select the text and copy it.'
            : ''}
      </span>
    </div>
  )
}
