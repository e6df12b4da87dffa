// `pnpm start`: run the podlaunch server from the environment.
import { runServer } from './run.ts'

runServer()
