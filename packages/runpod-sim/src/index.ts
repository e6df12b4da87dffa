export { CONTAINER_PATH, startRunpodSim } from './sim.ts'
export { validateCreatePodBody } from './create-rules.ts'
export type { CreatePodBody, CreatePodCheck } from './create-rules.ts'
export {
  OPENAPI_DOCUMENT_URL,
  checkCreatePodSchema,
  checkPodActionSchema,
  componentChecker,
  componentSchema,
  loadOpenApiDocument,
} from './openapi-schema.ts'
export type { SchemaCheck } from './openapi-schema.ts'
export { CAPACITY_WORDINGS } from './problem.ts'
export type { Problem } from './problem.ts'
export { DEFAULT_DATA_CENTERS, DEFAULT_GPU_PRICE, DEFAULT_GPU_PRICES } from './pricing.ts'
export type {
  Clock,
  FaultPlan,
  PodAction,
  PodStatus,
  RunpodSim,
  RunpodSimOptions,
  SimBilling,
  SimPodInfo,
  SimProcessExit,
} from './types.ts'
