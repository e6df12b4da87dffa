// Run with plain Node in the outside project: imports every entry of every public package (no
// TypeScript at run time) and migrates an in-memory database with the migrations the db tarball
// ships. Prints one JSON line.
const entries = JSON.parse(process.env.PODLAUNCH_ENTRIES ?? '[]')
const exported = {}
for (const specifier of entries) exported[specifier] = Object.keys(await import(specifier)).length

const { createDatabase, migrate } = await import('@podlaunch/db')
const db = createDatabase()
try {
  const { applied } = await migrate(db)
  process.stdout.write(`${JSON.stringify({ exported, applied })}\n`)
} finally {
  await db.destroy()
}
