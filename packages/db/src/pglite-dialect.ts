import { PGlite } from '@electric-sql/pglite'
import { PGliteDialect, type PGliteDialectConfig } from 'kysely'

type KyselyPGlite = Extract<PGliteDialectConfig['pglite'], { query: unknown }>

const INT8_OID = 20
const NUMERIC_OID = 1700

/**
 * Marks a raw query as a multi-statement script (a migration file). PGlite's `query` uses
 * the extended protocol, which accepts one statement; such scripts go through `exec`.
 * For pg the marker is just a comment: its simple protocol accepts several statements.
 */
export const MULTI_STATEMENT_MARKER = '/* podlaunch:multi-statement */\n'

interface Queryable {
  query: PGlite['query']
  exec: PGlite['exec']
}

async function runQuery(target: Queryable, text: string, params?: unknown[], options?: object) {
  if (!text.startsWith(MULTI_STATEMENT_MARKER)) return int8AsText(await target.query(text, params, options))
  const results = await target.exec(text)
  const last = results[results.length - 1]
  return { rows: last?.rows ?? [], affectedRows: last?.affectedRows ?? 0, fields: [] }
}

type QueryResult = Awaited<ReturnType<PGlite['query']>>

/**
 * pg returns int8 and numeric as strings; PGlite as number or BigInt (and ignores custom
 * parsers for int8). Turning them into strings here keeps the column types identical on both.
 */
function int8AsText(result: QueryResult): QueryResult {
  const textual = result.fields.filter((field) => field.dataTypeID === INT8_OID || field.dataTypeID === NUMERIC_OID)
  if (!textual.length) return result
  for (const row of result.rows as Record<string, unknown>[]) {
    for (const { name } of textual) {
      const value = row[name]
      if (typeof value === 'number' || typeof value === 'bigint') row[name] = value.toString()
    }
  }
  return result
}

/** The PGlite surface Kysely's driver uses, with multi-statement scripts routed to exec. */
function routeScripts(pglite: PGlite): KyselyPGlite {
  return {
    get closed() {
      return pglite.closed
    },
    get ready() {
      return pglite.ready
    },
    get waitReady() {
      return pglite.waitReady
    },
    close: () => pglite.close(),
    query: ((text: string, params?: unknown[], options?: object) => runQuery(pglite, text, params, options)) as KyselyPGlite['query'],
    transaction: (callback) =>
      pglite.transaction((tx) =>
        callback({
          ...tx,
          query: ((text: string, params?: unknown[], options?: object) => runQuery(tx, text, params, options)) as typeof tx.query,
        }),
      ),
  }
}

/**
 * Kysely's PGlite dialect over our routed PGlite. No lock of our own: PGliteAdapter declares
 * `supportsMultipleConnections = false`, so Kysely's runtime driver already hands the one
 * connection to one caller (query or transaction) at a time (database.test.ts proves it).
 */
export class EmbeddedDialect extends PGliteDialect {
  readonly pglite: PGlite

  constructor(dataDir?: string) {
    const pglite = new PGlite(dataDir)
    super({ pglite: routeScripts(pglite) })
    this.pglite = pglite
  }
}
