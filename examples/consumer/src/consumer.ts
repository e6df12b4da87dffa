// A TypeScript app that uses the published client. `pnpm test` type-checks this file, so a
// broken public type of @podlaunch/client fails the suite.
import {
  appCodeOf,
  createClient,
  isPodlaunchTrpcError,
  PodlaunchError,
  type AppErrorCode,
  type PodlaunchErrorCode,
} from '@podlaunch/client'

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

// Errors are read typed, without casts: a procedure's app code through the router's types, a
// helper's code on PodlaunchError.
export function isUnauthorized(error: unknown): boolean {
  return isPodlaunchTrpcError(error) && error.data?.code === 'UNAUTHORIZED'
}

export function codeOf(error: unknown): PodlaunchErrorCode | undefined {
  const fromProcedure: AppErrorCode | undefined = appCodeOf(error)
  return error instanceof PodlaunchError ? error.code : fromProcedure
}

// @ts-expect-error: a code outside the server's table is a type error
export const unknownCode: AppErrorCode = 'NO_SUCH_CODE'

export const base: string = client.baseUrl

// @ts-expect-error: procedures that do not exist are a type error
client.noSuchProcedure.query()
