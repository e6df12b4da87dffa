export { buildBootstrapScript, SCRIPT_VERSION } from './build-script.ts'
export {
  ArtifactsSchema,
  BOOTSTRAP_DEFAULTS,
  BootstrapSpecSchema,
  DEFAULT_ARTIFACT_PATHS,
  DatasetFilenameSchema,
  DEFAULT_IMAGE,
  EnvNameSchema,
  EnvSchema,
  ENV_NAME_PATTERN,
  FileModeSchema,
  FilePathSchema,
  FilesSchema,
  InlineFileSchema,
  LIMITS,
  OnFinishSchema,
  RESERVED_ENV_PREFIXES,
  WorkdirSchema,
} from './schema.ts'
export type { ArtifactsSpec, BootstrapSpec, BootstrapSpecInput, InlineFile, InlineFileInput, OnFinish } from './schema.ts'
export { ScriptError, shellQuote } from './shell-quote.ts'
export type { ScriptErrorCode } from './shell-quote.ts'
export { sha256Hex } from './sha256.ts'
export { buildDeploymentScript, DeploymentSpecSchema, GpuTypeIdSchema, KNOWN_GPU_TYPES, podDatasetFilename } from './deployment-spec.ts'
export type { DeploymentSpec, DeploymentSpecInput, ResolvedDeployment, ScriptDefaults } from './deployment-spec.ts'
