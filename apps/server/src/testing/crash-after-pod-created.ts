// Test wiring only, never started by `pnpm start`: the real server process, which kills itself
// (SIGKILL, no cleanup) right after a provider created a pod and before the database recorded
// it. Crash-recovery tests run it, then restart the server from main.ts on the same data.
import { runServer } from '../run.ts'

runServer({
  hooks: {
    afterPodCreated: () => {
      process.kill(process.pid, 'SIGKILL')
    },
  },
})
