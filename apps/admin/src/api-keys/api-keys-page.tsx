import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { CopyField } from '../components/copy-field.tsx'
import { ErrorText } from '../components/error-text.tsx'
import type { ApiKey } from '../lib/api-types.ts'
import { formatDateTime } from '../lib/format.ts'
import { useTRPC } from '../trpc.ts'

export function ApiKeysPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const nameId = useId()
  const [name, setName] = useState('')
  const [revoking, setRevoking] = useState<ApiKey | null>(null)
  const list = useQuery(trpc.apiKeys.list.queryOptions())
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() })
  const create = useMutation(trpc.apiKeys.create.mutationOptions({ onSuccess: () => void refresh() }))
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: () => {
        setRevoking(null)
        void refresh()
      },
    }),
  )
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim()) create.mutate({ name: name.trim() }, { onSuccess: () => setName('') })
  }
  return (
    <section>
      <div className="page-head">
        <h1>API keys</h1>
      </div>
      <form className="card form inline-form" onSubmit={submit} aria-label="Create an API key">
        <div className="field">
          <label htmlFor={nameId}>Key name</label>
          <input id={nameId} value={name} maxLength={100} placeholder="ci-runner" onChange={(event) => setName(event.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={!name.trim() || create.isPending}>
          Create key
        </button>
      </form>
      <ErrorText error={create.error} prefix="Could not create the key" />
      {create.data && (
        <div className="card notice-card" role="status">
          <CopyField label={`New key "${create.data.name}"`} value={create.data.key} testId="new-api-key" />
          <p className="hint">This is the only time the key is shown. Store it now; the server keeps only its hash.</p>
        </div>
      )}
      <ErrorText error={list.error} prefix="Could not load keys" />
      <div className="table-wrap">
        <table className="table" aria-label="API keys">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{formatDateTime(key.createdAt)}</td>
                <td>{formatDateTime(key.lastUsedAt)}</td>
                <td>
                  {key.revokedAt ? (
                    <span className="badge badge-muted">revoked {formatDateTime(key.revokedAt)}</span>
                  ) : (
                    <span className="badge badge-success">active</span>
                  )}
                </td>
                <td className="row-actions">
                  {!key.revokedAt && (
                    <button type="button" className="danger" onClick={() => setRevoking(key)} aria-label={`Revoke ${key.name}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={revoking !== null}
        title="Revoke this key?"
        confirmLabel={revoke.isPending ? 'Revoking…' : 'Yes, revoke it'}
        danger
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate({ id: revoking.id })}
      >
        <p>
          Anything using <strong>{revoking?.name}</strong> stops working at once. If it is the key of this session, you are logged out.
        </p>
        <ErrorText error={revoke.error} />
      </ConfirmDialog>
    </section>
  )
}
