import { useState } from 'react'
import { AuthedApp } from './authed-app.tsx'
import { LoginPage } from './auth/login-page.tsx'
import { clearApiKey, readApiKey, writeApiKey } from './lib/api-key-storage.ts'

/** Signed out: the login form. Signed in: everything else, with a client bound to the key. */
export function App() {
  const [apiKey, setApiKey] = useState(readApiKey)
  const [notice, setNotice] = useState<string | null>(null)

  if (!apiKey) {
    return (
      <LoginPage
        notice={notice}
        onLogin={(key) => {
          writeApiKey(key)
          setNotice(null)
          setApiKey(key)
        }}
      />
    )
  }
  const logout = (reason?: string) => {
    clearApiKey()
    setNotice(reason ?? null)
    setApiKey(null)
  }
  // key={apiKey}: a new key gets a fresh query cache, so nothing of the last session shows.
  return <AuthedApp key={apiKey} apiKey={apiKey} onLogout={logout} />
}
