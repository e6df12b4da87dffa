// The example app's entry: `node dist/main.js` with PODLAUNCH_URL, PODLAUNCH_API_KEY and
// CONSUMER_WORK_DIR set; prints the result as one JSON line.
import { trainOnce } from './train-once.js'

function required(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

const result = await trainOnce({
  url: required('PODLAUNCH_URL'),
  apiKey: required('PODLAUNCH_API_KEY'),
  workDir: required('CONSUMER_WORK_DIR'),
})
process.stdout.write(`${JSON.stringify(result)}\n`)
