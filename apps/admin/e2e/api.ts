// Plain HTTP calls to the tRPC API for test setup (no transformer: JSON in, JSON out).
import { createHash } from 'node:crypto'

export interface Api {
  query<T>(path: string, input?: unknown): Promise<T>
  mutate<T>(path: string, input: unknown): Promise<T>
  uploadDataset(name: string, filename: string, content: string): Promise<{ id: string; sha256: string }>
}

async function unwrap<T>(res: Response, path: string): Promise<T> {
  const body = (await res.json()) as { result?: { data: T }; error?: unknown }
  if (!res.ok || !body.result) throw new Error(`${path} failed (${res.status}): ${JSON.stringify(body.error ?? body)}`)
  return body.result.data
}

export function createApi(url: string, apiKey: string): Api {
  const headers = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }
  const api: Api = {
    async query(path, input) {
      const search = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`
      return unwrap(await fetch(`${url}/trpc/${path}${search}`, { headers }), path)
    },
    async mutate(path, input) {
      return unwrap(await fetch(`${url}/trpc/${path}`, { method: 'POST', headers, body: JSON.stringify(input) }), path)
    },
    async uploadDataset(name, filename, content) {
      const bytes = Buffer.from(content)
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      const created = await api.mutate<{ dataset: { id: string }; uploadUrl: string }>('datasets.create', {
        name,
        filename,
        sizeBytes: bytes.length,
        sha256,
      })
      const put = await fetch(`${url}${new URL(created.uploadUrl).pathname}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/octet-stream' },
        body: bytes,
      })
      if (!put.ok) throw new Error(`upload failed: ${put.status} ${await put.text()}`)
      return { id: created.dataset.id, sha256 }
    },
  }
  return api
}
