import { useId, useState, type FormEvent } from 'react'
import { isUnauthorized, errorMessage } from '../lib/error-message.ts'
import { createApiClient } from '../trpc.ts'

/** Checks the key with `me` before keeping it: a wrong key never gets stored. */
export function LoginPage({ onLogin, notice }: { onLogin: (key: string) => void; notice: string | null }) {
  const inputId = useId()
  const [key, setKey] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [checking, setChecking] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const candidate = key.trim()
    if (!candidate) {
      setError('Enter an API key.')
      return
    }
    setChecking(true)
    setError(null)
    try {
      await createApiClient(candidate).me.query()
      onLogin(candidate)
    } catch (caught) {
      setError(isUnauthorized(caught) ? 'That API key was not accepted.' : `Could not check the key: ${errorMessage(caught)}`)
      setChecking(false)
    }
  }

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} noValidate>
        <h1>podlaunch admin</h1>
        {notice && <p className="notice">{notice}</p>}
        <label htmlFor={inputId}>API key</label>
        <input
          id={inputId}
          type="password"
          autoComplete="current-password"
          spellCheck={false}
          placeholder="pl_…"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : undefined}
          autoFocus
        />
        {error && (
          <p id={`${inputId}-error`} className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={checking}>
          {checking ? 'Checking…' : 'Log in'}
        </button>
        <p className="hint">The key stays in this tab only (sessionStorage) and is sent as a Bearer token.</p>
      </form>
    </main>
  )
}
