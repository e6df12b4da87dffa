// `pnpm db:migrate`: applies migrations to DATABASE_URL, or to embedded PGlite in PODLAUNCH_DATA_DIR.
import { resolve } from 'node:path'
import { createDatabase } from './database.ts'
import { embeddedDatabaseDir } from './paths.ts'
import { migrate } from './migrate.ts'

const url = process.env.DATABASE_URL || undefined
const dataDir = resolve(process.env.PODLAUNCH_DATA_DIR ?? '.podlaunch')
const db = createDatabase(url ? { url } : { dataDir: embeddedDatabaseDir(dataDir) })
try {
  const result = await migrate(db)
  console.log(
    `migrations: ${result.applied.length} applied (${result.applied.join(', ') || 'none'}), ${result.alreadyApplied.length} already applied`,
  )
} catch (error) {
  console.error(`db:migrate failed: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await db.destroy()
}
