import { PGlite } from '@electric-sql/pglite'
import { PGliteDialect, PGliteDriver, type Driver, type PGliteDialectConfig } from 'kysely'

type KyselyPGlite = Extract<PGliteDialectConfig['pglite'], { query: unknown }>

/**
 * Marks a raw query as a multi-statement script (a migration file). PGlite's `query` uses
 * the extended protocol, which accepts one statement; such scripts go through `exec`.
 * For pg the marker is just a comment: its simple protocol accepts several statements.
 */
const INT8_OID = 20
const NUMERIC_OID = 1700

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
    query: ((text: string, params?: unknown[], options?: object) =>
      runQuery(pglite, text, params, options)) as KyselyPGlite['query'],
    transaction: (callback) =>
      pglite.transaction((tx) =>
        callback({ ...tx, query: ((text: string, params?: unknown[], options?: object) =>
          runQuery(tx, text, params, options)) as typeof tx.query }),
      ),
  }
}

/**
 * Kysely's PGlite driver hands the one connection to every caller at once, so two
 * concurrent transactions would interleave on it. A mutex gives each caller the
 * connection alone, as a pool of one would.
 */
class SerializedPGliteDriver extends PGliteDriver {
  #queue: Promise<void> = Promise.resolve()
  #release: (() => void) | undefined

  override async acquireConnection() {
    const previous = this.#queue
    let release!: () => void
    this.#queue = new Promise<void>((resolve) => (release = resolve))
    await previous
    this.#release = release
    return super.acquireConnection()
  }

  override async releaseConnection() {
    const release = this.#release
    this.#release = undefined
    release?.()
  }
}

export class EmbeddedDialect extends PGliteDialect {
  readonly pglite: PGlite

  constructor(dataDir?: string) {
    const pglite = new PGlite(dataDir)
    const routed = routeScripts(pglite)
    super({ pglite: routed })
    this.pglite = pglite
    this.#routed = routed
  }

  #routed: KyselyPGlite

  override createDriver(): Driver {
    return new SerializedPGliteDriver({ pglite: this.#routed })
  }
}
