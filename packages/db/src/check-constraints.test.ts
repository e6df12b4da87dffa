// The migrations cannot import @podlaunch/contract, so this reads the CHECK constraints of the
// migrated database and holds their value lists to the contract: a status or reason added on one
// side only fails here, on PGlite and on Postgres.
import { ARTIFACT_STATUSES, DATASET_STATUSES, DEPLOYMENT_STATUSES, FAILURE_REASONS, PROVIDERS } from '@podlaunch/contract'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, usingPostgres, type TestDatabase } from './testing.ts'

const CONTRACT: Record<string, readonly string[]> = {
  'datasets.status': DATASET_STATUSES,
  'deployments.status': DEPLOYMENT_STATUSES,
  'deployments.failure_reason': FAILURE_REASONS,
  'deployments.provider': PROVIDERS,
  'artifacts.status': ARTIFACT_STATUSES,
}

interface CheckRow {
  table: string
  column: string
  definition: string
}

/** The quoted values of a list check, as Postgres prints it: `(col = ANY (ARRAY['a'::text, …]))`. */
function listedValues(definition: string): string[] | undefined {
  const list = /= ANY \(\(?ARRAY\[(.*)\]\)?/.exec(definition)?.[1]
  if (list === undefined) return undefined
  return [...list.matchAll(/'((?:[^']|'')*)'::text/g)].map((match) => match[1]!.replaceAll("''", "'"))
}

let database: TestDatabase
let checks: CheckRow[]

beforeAll(async () => {
  database = await createTestDatabase()
  const result = await sql<CheckRow>`
    SELECT t.relname AS "table", a.attname AS "column", pg_get_constraintdef(c.oid) AS definition
    FROM pg_constraint c
    JOIN pg_class t ON t.oid = c.conrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (c.conkey)
    WHERE c.contype = 'c' AND n.nspname = current_schema()
    ORDER BY 1, 2`.execute(database.db)
  checks = result.rows
}, 60_000)
afterAll(() => database?.close())

describe(`CHECK constraints against the contract on ${usingPostgres ? 'Postgres' : 'PGlite'}`, () => {
  it('list exactly the contract values for each status, reason and provider column', () => {
    const found = Object.fromEntries(
      checks.flatMap((check) => {
        const values = listedValues(check.definition)
        return values ? [[`${check.table}.${check.column}`, [...values].sort()]] : []
      }),
    )
    // Every list-valued column is the contract's, so a new one cannot be added without it.
    expect(found).toEqual(Object.fromEntries(Object.entries(CONTRACT).map(([column, values]) => [column, [...values].sort()])))
  })

  it('reads a value list the way Postgres prints it', () => {
    expect(listedValues("(status = ANY (ARRAY['a'::text, 'it''s'::text]))")).toEqual(['a', "it's"])
    expect(listedValues("((failure_reason = ANY (ARRAY['x'::text])))")).toEqual(['x'])
    expect(listedValues('(size_bytes >= 0)')).toBeUndefined()
    const deploymentStatus = checks.find((check) => check.table === 'deployments' && check.column === 'status')
    expect(deploymentStatus?.definition).toMatch(/ANY \(ARRAY\['pending'::text/)
  })
})
