import { useQueryClient } from '@tanstack/react-query'
import { useId, useRef, useState, type FormEvent } from 'react'
import { useApiKey } from '../api-key-context.ts'
import { errorMessage } from '../lib/error-message.ts'
import { formatBytes } from '../lib/format.ts'
import { percentOf, putWithProgress, sameOriginUrl, sha256OfFile } from '../lib/upload.ts'
import { useTRPC, useTRPCClient } from '../trpc.ts'

type Phase =
  | { step: 'idle' }
  | { step: 'hashing' }
  | { step: 'uploading'; sent: number; total: number }
  | { step: 'done'; name: string }
  | { step: 'failed'; message: string }

/** datasets.create declares size (and sha256 when the file is small enough to hash here), then one PUT. */
export function UploadForm() {
  const trpc = useTRPC()
  const client = useTRPCClient()
  const apiKey = useApiKey()
  const queryClient = useQueryClient()
  const fileId = useId()
  const nameId = useId()
  const fileInput = useRef<HTMLInputElement>(null)
  const [file, setFile] = useState<File | null>(null)
  const [name, setName] = useState('')
  const [phase, setPhase] = useState<Phase>({ step: 'idle' })
  const busy = phase.step === 'hashing' || phase.step === 'uploading'

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (!file) return
    const datasetName = name.trim() || file.name
    try {
      setPhase({ step: 'hashing' })
      const sha256 = await sha256OfFile(file)
      const created = await client.datasets.create.mutate({
        name: datasetName,
        filename: file.name,
        sizeBytes: file.size,
        ...(sha256 ? { sha256 } : {}),
      })
      void queryClient.invalidateQueries({ queryKey: trpc.datasets.list.queryKey() })
      setPhase({ step: 'uploading', sent: 0, total: file.size })
      await putWithProgress({
        url: sameOriginUrl(created.uploadUrl, window.location.origin),
        apiKey,
        file,
        onProgress: (sent, total) => setPhase({ step: 'uploading', sent, total }),
      })
      setPhase({ step: 'done', name: datasetName })
      setFile(null)
      setName('')
      if (fileInput.current) fileInput.current.value = ''
    } catch (caught) {
      setPhase({ step: 'failed', message: errorMessage(caught) })
    } finally {
      void queryClient.invalidateQueries({ queryKey: trpc.datasets.list.queryKey() })
    }
  }

  const percent = phase.step === 'uploading' ? percentOf(phase.sent, phase.total) : phase.step === 'done' ? 100 : 0
  return (
    <form className="card form upload" onSubmit={submit} aria-label="Upload a dataset">
      <h2>Upload a dataset</h2>
      <div className="field">
        <label htmlFor={fileId}>File</label>
        <input
          id={fileId}
          ref={fileInput}
          type="file"
          disabled={busy}
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null)
            setPhase({ step: 'idle' })
          }}
        />
        {file && <span className="hint">{formatBytes(file.size)}</span>}
      </div>
      <div className="field">
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          value={name}
          disabled={busy}
          placeholder={file?.name ?? 'defaults to the file name'}
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={!file || busy}>
          {phase.step === 'hashing' ? 'Hashing…' : phase.step === 'uploading' ? 'Uploading…' : 'Upload'}
        </button>
      </div>
      {phase.step !== 'idle' && phase.step !== 'failed' && (
        <div className="progress-row">
          <progress max={100} value={percent} aria-label="Upload progress" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} />
          <span role="status">
            {phase.step === 'hashing' ? 'Computing sha256…' : phase.step === 'done' ? `Uploaded ${phase.name} (100%)` : `${percent}%`}
          </span>
        </div>
      )}
      {phase.step === 'failed' && (
        <p className="error" role="alert">
          Upload failed: {phase.message}
        </p>
      )}
    </form>
  )
}
