import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ConfirmDialog } from '../components/confirm-dialog.tsx'
import { CopyField } from '../components/copy-field.tsx'
import { ErrorText } from '../components/error-text.tsx'
import type { Dataset } from '../lib/api-types.ts'
import { formatBytes, formatDateTime, shortSha } from '../lib/format.ts'
import { useTRPC } from '../trpc.ts'
import { UploadForm } from './upload-form.tsx'

export function DatasetsPage() {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const list = useQuery(trpc.datasets.list.queryOptions({ limit: 100 }))
  const [deleting, setDeleting] = useState<Dataset | null>(null)
  const [link, setLink] = useState<{ datasetName: string; url: string; expiresAt: string } | null>(null)
  const remove = useMutation(
    trpc.datasets.delete.mutationOptions({
      onSuccess: () => {
        setDeleting(null)
        void queryClient.invalidateQueries({ queryKey: trpc.datasets.list.queryKey() })
      },
    }),
  )
  const download = useMutation(trpc.datasets.createDownloadUrl.mutationOptions())
  const getLink = (dataset: Dataset) =>
    download.mutate(
      { id: dataset.id },
      {
        onSuccess: async (result) => {
          setLink({ datasetName: dataset.name, url: result.url, expiresAt: String(result.expiresAt) })
          // Best effort: the field below shows the URL whether or not the clipboard works.
          await navigator.clipboard?.writeText(result.url).catch(() => undefined)
        },
      },
    )
  const items = list.data?.items ?? []
  return (
    <section>
      <div className="page-head">
        <h1>Datasets</h1>
      </div>
      <UploadForm />
      {link && (
        <div className="card" aria-label="Signed download URL">
          <CopyField label={`Signed download URL for ${link.datasetName}`} value={link.url} testId="download-url" />
          <p className="hint">
            Expires {formatDateTime(link.expiresAt)}. Anyone holding it can download the file until then; revoke it by its jti with
            tokens.revoke.
          </p>
        </div>
      )}
      <ErrorText error={download.error} prefix="Could not create a download URL" />
      <ErrorText error={list.error} prefix="Could not load datasets" />
      <div className="table-wrap">
        <table className="table" aria-label="Datasets">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">File</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">sha256</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} data-dataset-id={d.id}>
                <td>{d.name}</td>
                <td>{d.filename}</td>
                <td className="num">{formatBytes(d.sizeBytes)}</td>
                <td>
                  <code title={d.sha256 ?? undefined}>{shortSha(d.sha256)}</code>
                </td>
                <td>
                  <span className={`badge ${d.status === 'ready' ? 'badge-success' : 'badge-waiting'}`}>{d.status}</span>
                </td>
                <td>{formatDateTime(d.createdAt)}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    disabled={d.status !== 'ready' || download.isPending}
                    onClick={() => getLink(d)}
                    aria-label={`Download URL for ${d.name}`}
                  >
                    Download URL
                  </button>
                  <button type="button" className="danger" onClick={() => setDeleting(d)} aria-label={`Delete ${d.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
            {list.isSuccess && items.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">
                  No datasets yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title="Delete this dataset?"
        confirmLabel={remove.isPending ? 'Deleting…' : 'Yes, delete it'}
        danger
        busy={remove.isPending}
        onCancel={() => {
          setDeleting(null)
          remove.reset()
        }}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
      >
        <p>
          <strong>{deleting?.name}</strong> and its file are removed; download URLs for it stop working.
        </p>
        <ErrorText error={remove.error} />
      </ConfirmDialog>
    </section>
  )
}
