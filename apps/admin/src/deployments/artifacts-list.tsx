import { useMutation, useQuery } from '@tanstack/react-query'
import { ErrorText } from '../components/error-text.tsx'
import { formatBytes, formatDateTime, shortSha } from '../lib/format.ts'
import { useTRPC } from '../trpc.ts'

/** The trained outputs a pod uploaded, each downloadable through a short-lived signed URL. */
export function ArtifactsList({ deploymentId, live }: { deploymentId: string; live: boolean }) {
  const trpc = useTRPC()
  const artifacts = useQuery(trpc.deployments.artifacts.queryOptions({ id: deploymentId }, { refetchInterval: live ? 2_000 : false }))
  const download = useMutation(
    trpc.artifacts.createDownloadUrl.mutationOptions({
      // Same origin, token in the query: the browser downloads it like any link.
      onSuccess: ({ url }) => window.location.assign(url),
    }),
  )
  const rows = artifacts.data ?? []
  return (
    <section className="card" aria-labelledby="artifacts-heading">
      <h2 id="artifacts-heading">Artifacts</h2>
      <ErrorText error={artifacts.error ?? download.error} prefix="Artifacts" />
      {rows.length === 0 ? (
        <p className="muted">{live ? 'The pod uploads its outputs when training succeeds.' : 'No artifacts were uploaded.'}</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Artifacts">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Size</th>
                <th scope="col">sha256</th>
                <th scope="col">Status</th>
                <th scope="col">Stored</th>
                <th scope="col">
                  <span className="sr-only">Download</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((artifact) => (
                <tr key={artifact.id}>
                  <td>{artifact.name}</td>
                  <td>
                    {artifact.status === 'complete'
                      ? formatBytes(artifact.sizeBytes)
                      : `${formatBytes(artifact.receivedBytes)} of ${formatBytes(artifact.sizeBytes)}`}
                  </td>
                  <td>
                    <code title={artifact.sha256}>{shortSha(artifact.sha256)}</code>
                  </td>
                  <td>{artifact.status}</td>
                  <td>{formatDateTime(artifact.completedAt)}</td>
                  <td>
                    <button
                      type="button"
                      disabled={artifact.status !== 'complete' || download.isPending}
                      onClick={() => download.mutate({ id: artifact.id })}
                      aria-label={`Download ${artifact.name}`}
                    >
                      Download
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
