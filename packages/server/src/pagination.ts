import { sql } from 'kysely'
import { z } from 'zod'
import { AppError } from './errors.ts'

/** Keyset pagination over (created_at DESC, id DESC): stable while rows are added. */
export const PageInput = z.object({
  limit: z.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
})

export interface PageCursor {
  createdAt: Date
  id: string
}

export function encodeCursor(row: { created_at: Date; id: string }): string {
  return Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url')
}

export function decodeCursor(cursor: string): PageCursor {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  const createdAt = new Date(at ?? '')
  if (!id || !z.uuid().safeParse(id).success || Number.isNaN(createdAt.getTime())) {
    throw new AppError('BAD_REQUEST', 'invalid cursor')
  }
  return { createdAt, id }
}

/** Splits one extra row fetched beyond `limit` into the next cursor. */
export function toPage<Row extends { created_at: Date; id: string }, Item>(rows: Row[], limit: number, map: (row: Row) => Item) {
  const hasMore = rows.length > limit
  const pageRows = hasMore ? rows.slice(0, limit) : rows
  const last = pageRows[pageRows.length - 1]
  return { items: pageRows.map(map), nextCursor: hasMore && last ? encodeCursor(last) : null }
}

/** The keyset condition for rows after `cursor` in (created_at DESC, id DESC) order. */
export function createdBefore(cursor: PageCursor) {
  return sql<boolean>`(created_at, id) < (${cursor.createdAt}, ${cursor.id}::uuid)`
}
