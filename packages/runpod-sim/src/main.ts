import { SimEnvError, simOptionsFromEnv } from './env.ts'
import { startRunpodSim } from './sim.ts'

let options
try {
  options = simOptionsFromEnv()
} catch (error) {
  if (!(error instanceof SimEnvError)) throw error
  console.error(`runpod-sim: ${error.message}`)
  process.exit(1)
}

const sim = await startRunpodSim({ ...options, keepWorkRoot: true })
console.log(`runpod-sim listening: ${sim.url}`)
console.log(`api key: ${sim.apiKey}`)
console.log(`pod directories: ${sim.workRoot}`)
console.log(`faults: POST ${sim.origin}/_sim/faults (same bearer key)`)

let stopping = false
const stop = (): void => {
  if (stopping) return
  stopping = true
  void sim.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
