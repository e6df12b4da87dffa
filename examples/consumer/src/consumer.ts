// A TypeScript app that uses the published client. `pnpm test` type-checks this file, so a
// broken public type of @podlaunch/client fails the suite.
import { createClient, TRPCClientError, type AppRouter } from '@podlaunch/client'

const client = createClient({ url: 'http://127.0.0.1:3000', apiKey: process.env.PODLAUNCH_API_KEY ?? '' })

export async function whoAmI(): Promise<string> {
  const me = await client.me.query()
  const id: string = me.id
  const admin: boolean = me.isAdmin
  return `${id}${admin ? ' (admin)' : ''}`
}

export async function keyPrefixes(): Promise<string[]> {
  const keys = await client.apiKeys.list.query()
  // Dates travel as ISO strings without a transformer; the types say so.
  const created: string[] = keys.map((key) => key.createdAt)
  return created.length ? keys.map((key) => key.prefix) : []
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof TRPCClientError && (error as TRPCClientError<AppRouter>).data?.code === 'UNAUTHORIZED'
}

export const base: string = client.baseUrl

// @ts-expect-error: procedures that do not exist are a type error
client.noSuchProcedure.query()
