import { DeploymentSpecSchema } from '@podlaunch/script'
import { listDeploymentArtifacts } from '../artifacts/queries.ts'
import { authedProcedure, router } from '../trpc.ts'
import { cancelDeployment } from './cancel.ts'
import { createDeployment } from './create.ts'
import { getDeployment, listDeployments, listEvents, listLogs, listMetrics } from './queries.ts'
import { AfterInput, DeploymentId, ListDeploymentsInput, OnEventInput } from './schemas.ts'
import { previewScript, scriptDefaults } from './preview.ts'
import { streamEvents } from './subscription.ts'

export const deploymentsRouter = router({
  create: authedProcedure.input(DeploymentSpecSchema).mutation(createDeployment),
  previewScript: authedProcedure.input(DeploymentSpecSchema).query(previewScript),
  /** The server settings that shape scripts, so clients can build the same preview. */
  scriptDefaults: authedProcedure.query(scriptDefaults),
  list: authedProcedure.input(ListDeploymentsInput).query(listDeployments),
  get: authedProcedure.input(DeploymentId).query(getDeployment),
  events: authedProcedure.input(AfterInput).query(listEvents),
  logs: authedProcedure.input(AfterInput).query(listLogs),
  metrics: authedProcedure.input(DeploymentId).query(listMetrics),
  /** What the pod uploaded after training (the trained model), with size, sha256 and status. */
  artifacts: authedProcedure.input(DeploymentId).query(listDeploymentArtifacts),
  cancel: authedProcedure.input(DeploymentId).mutation(cancelDeployment),
  onEvent: authedProcedure.input(OnEventInput).subscription(streamEvents),
})
