import type { AppRouter } from '@podlaunch/client'
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server'

// No transformer on the server: Dates arrive as ISO strings, and these types say so.
type Outputs = inferRouterOutputs<AppRouter>
type Inputs = inferRouterInputs<AppRouter>

export type Deployment = Outputs['deployments']['list']['items'][number]
export type DeploymentDetail = Outputs['deployments']['get']
export type DeploymentEvent = Outputs['deployments']['events'][number]
export type LogLine = Outputs['deployments']['logs'][number]
export type MetricPoint = Outputs['deployments']['metrics'][number]
export type Dataset = Outputs['datasets']['list']['items'][number]
export type ApiKey = Outputs['apiKeys']['list'][number]
export type ScriptDefaultsView = Outputs['deployments']['scriptDefaults']
export type ListDeploymentsInput = Inputs['deployments']['list']
