import { createContext, useContext } from 'react'

/** The signed-in key, for the one request tRPC does not make: the upload PUT. */
export const ApiKeyContext = createContext<string | null>(null)

export function useApiKey(): string {
  const key = useContext(ApiKeyContext)
  if (!key) throw new Error('useApiKey outside a signed-in session')
  return key
}
