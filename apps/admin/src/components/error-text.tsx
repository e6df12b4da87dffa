import { errorMessage } from '../lib/error-message.ts'

export function ErrorText({ error, prefix }: { error: unknown; prefix?: string }) {
  if (!error) return null
  return (
    <p className="error" role="alert">
      {prefix ? `${prefix}: ` : ''}
      {errorMessage(error)}
    </p>
  )
}
