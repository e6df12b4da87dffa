import { utf8Bytes } from '@podlaunch/contract'
import { z } from 'zod'

export const DEFAULT_IMAGE = 'runpod/pytorch:2.4.0-py3.11-cuda12.4.1-devel-ubuntu22.04'

/** What a bootstrap spec leaves out; the server's deployment settings default to the same. */
export const BOOTSTRAP_DEFAULTS = {
  keepAliveSeconds: 3600,
  heartbeatSeconds: 30,
  shipIntervalSeconds: 10,
} as const

export const LIMITS = {
  trainCommandBytes: 64 * 1024,
  files: 64,
  filesTotalBytes: 1024 * 1024,
  filePathBytes: 1024,
  envEntries: 256,
  envValueBytes: 32 * 1024,
  workdirBytes: 1024,
  keepAliveSeconds: 7 * 24 * 3600,
  intervalSeconds: 3600,
  maxRuntimeSeconds: 30 * 24 * 3600,
  artifactPaths: 64,
} as const

const NUL = 'must not contain a NUL character (\\0): bash cannot hold it'
// Control characters are legal in file names but only ever mean trouble in logs
// and terminals; refusing them keeps paths printable.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/

/** Any string bash can hold (no NUL), capped in UTF-8 bytes. */
export const bashString = (what: string, maxBytes: number) =>
  z
    .string()
    .refine((s) => !s.includes('\0'), { error: `${what} ${NUL}` })
    .refine((s) => utf8Bytes(s) <= maxBytes, { error: `${what} must be at most ${maxBytes} bytes (UTF-8)` })

const seconds = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number of seconds` })
    .int({ error: `${what} must be a whole number of seconds` })
    .min(min, { error: `${what} must be at least ${min}` })
    .max(max, { error: `${what} must be at most ${max}` })

export const ENV_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/
export const RESERVED_ENV_PREFIXES = ['PODLAUNCH_', 'RUNPOD_'] as const
// Exporting these fails in bash, which would fail the job before training.
const BASH_READONLY = new Set(['BASHOPTS', 'BASH_VERSINFO', 'EUID', 'PPID', 'SHELLOPTS', 'UID'])

export const EnvNameSchema = z
  .string()
  .regex(ENV_NAME_PATTERN, { error: 'env names must match ^[A-Z_][A-Z0-9_]*$ (upper case, digits, underscore)' })
  .max(128, { error: 'env names must be at most 128 characters' })
  .refine((n) => !RESERVED_ENV_PREFIXES.some((p) => n.startsWith(p)), {
    error: 'env names starting with PODLAUNCH_ or RUNPOD_ are reserved',
  })
  .refine((n) => !BASH_READONLY.has(n), { error: 'env name is a read-only bash variable and cannot be set' })

// Names are checked in superRefine rather than as the record's key schema: zod
// reports key failures as a bare "Invalid key in record", hiding the reason.
export const EnvSchema = z.record(z.string(), bashString('env values', LIMITS.envValueBytes)).superRefine((env, ctx) => {
  const names = Object.keys(env)
  if (names.length > LIMITS.envEntries) {
    ctx.addIssue({ code: 'custom', message: `env may hold at most ${LIMITS.envEntries} entries` })
  }
  for (const name of names) {
    const r = EnvNameSchema.safeParse(name)
    if (!r.success) {
      for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: [name], message: `${name}: ${issue.message}` })
    }
  }
})

/** Relative path that stays inside the work directory, segment by segment. */
export const FilePathSchema = bashString('file paths', LIMITS.filePathBytes).superRefine((path, ctx) => {
  const issue = filePathProblem(path)
  if (issue) ctx.addIssue({ code: 'custom', message: issue })
})

function filePathProblem(path: string): string | undefined {
  if (path === '') return 'file paths must not be empty'
  if (path.startsWith('/')) return 'file paths must be relative to the work directory, not absolute'
  if (CONTROL.test(path)) return 'file paths must not contain control characters'
  const segments = path.split('/')
  if (segments.some((s) => s === '')) return 'file paths must not contain empty segments (// or a trailing /)'
  if (segments.some((s) => s === '..')) return 'file paths must not contain .. segments'
  if (segments.some((s) => s === '.')) return 'file paths must not contain . segments'
  if (segments[0] === '.podlaunch') return 'file paths must not write into .podlaunch (reserved for the script state)'
  return undefined
}

export const FileModeSchema = z
  .union([
    z.string().regex(/^0?[0-7]{3}$/, { error: 'mode strings must be octal like "0644" or "755"' }),
    z.number().int().min(0).max(0o777, { error: 'numeric modes must be between 0 and 0o777' }),
  ])
  .default(0o644)
  .transform((m) => (typeof m === 'string' ? Number.parseInt(m, 8) : m))

export const InlineFileSchema = z.object({
  path: FilePathSchema,
  content: bashString('file contents', LIMITS.filesTotalBytes),
  mode: FileModeSchema,
})

export const FilesSchema = z
  .array(InlineFileSchema)
  .max(LIMITS.files, { error: `at most ${LIMITS.files} files` })
  .superRefine((files, ctx) => {
    const total = files.reduce((n, f) => n + utf8Bytes(f.content), 0)
    if (total > LIMITS.filesTotalBytes) {
      ctx.addIssue({ code: 'custom', message: `file contents must total at most ${LIMITS.filesTotalBytes} bytes` })
    }
    const paths = new Set(files.map((f) => f.path))
    if (paths.size !== files.length) ctx.addIssue({ code: 'custom', message: 'file paths must be unique' })
    for (const f of files) {
      if (f.path.split('/').some((_, i, segs) => i > 0 && paths.has(segs.slice(0, i).join('/')))) {
        ctx.addIssue({ code: 'custom', message: `file ${f.path} sits under another file's path` })
      }
    }
  })

export const WorkdirSchema = bashString('workdir', LIMITS.workdirBytes).superRefine((dir, ctx) => {
  if (!/^(\/[^/]+)+$/.test(dir)) {
    ctx.addIssue({ code: 'custom', message: 'workdir must be an absolute path without empty segments or a trailing /' })
  } else if (dir.split('/').some((s) => s === '..' || s === '.')) {
    ctx.addIssue({ code: 'custom', message: 'workdir must not contain . or .. segments' })
  } else if (CONTROL.test(dir)) {
    ctx.addIssue({ code: 'custom', message: 'workdir must not contain control characters' })
  }
})

const RESERVED_NAMES = new Set(['.', '..', '.podlaunch', 'podlaunch.log', 'podlaunch-metrics.jsonl'])

export const DatasetFilenameSchema = bashString('datasetFilename', 255).superRefine((name, ctx) => {
  if (name === '' || name.includes('/') || CONTROL.test(name)) {
    ctx.addIssue({ code: 'custom', message: 'datasetFilename must be a plain, non-empty file name (no /, no control characters)' })
  } else if (RESERVED_NAMES.has(name)) {
    ctx.addIssue({ code: 'custom', message: `datasetFilename ${name} is reserved` })
  }
})

/** What the artifact phase packs when the spec names nothing: the trainer's `output/` folder. */
export const DEFAULT_ARTIFACT_PATHS: readonly string[] = ['output']

/**
 * Files and folders (relative to the work directory) packed into one archive after training
 * succeeds and uploaded to the server; `paths: []` turns the phase off. `maxBytes` caps the
 * archive: the server refuses a larger one (413) and the pod falls back to its keep-alive.
 */
export const ArtifactsSchema = z.object({
  paths: z
    .array(FilePathSchema)
    .max(LIMITS.artifactPaths, { error: `artifacts.paths may list at most ${LIMITS.artifactPaths} paths` })
    .refine((paths) => new Set(paths).size === paths.length, { error: 'artifacts.paths must not repeat a path' })
    .default([...DEFAULT_ARTIFACT_PATHS]),
  maxBytes: z
    .number({ error: 'artifacts.maxBytes must be a number of bytes' })
    .int({ error: 'artifacts.maxBytes must be a whole number of bytes' })
    .min(1, { error: 'artifacts.maxBytes must be at least 1' })
    .max(Number.MAX_SAFE_INTEGER)
    .optional(),
})

export const OnFinishSchema = z.enum(['wait', 'exit'], { error: 'onFinish must be "wait" or "exit"' })

export const BootstrapSpecSchema = z.object({
  trainCommand: bashString('trainCommand', LIMITS.trainCommandBytes).refine((c) => c.trim() !== '', {
    error: 'trainCommand must not be empty',
  }),
  files: FilesSchema.default([]),
  env: EnvSchema.default({}),
  workdir: WorkdirSchema.default('/workspace'),
  datasetFilename: DatasetFilenameSchema.default('dataset'),
  keepAliveSeconds: seconds('keepAliveSeconds', 0, LIMITS.keepAliveSeconds).default(BOOTSTRAP_DEFAULTS.keepAliveSeconds),
  heartbeatSeconds: seconds('heartbeatSeconds', 1, LIMITS.intervalSeconds).default(BOOTSTRAP_DEFAULTS.heartbeatSeconds),
  shipIntervalSeconds: seconds('shipIntervalSeconds', 1, LIMITS.intervalSeconds).default(BOOTSTRAP_DEFAULTS.shipIntervalSeconds),
  maxRuntimeSeconds: seconds('maxRuntimeSeconds', 1, LIMITS.maxRuntimeSeconds).optional(),
  onFinish: OnFinishSchema.default('wait'),
  /** Absent: no artifact phase (the keep-alive window is how the model gets off the pod). */
  artifacts: ArtifactsSchema.optional(),
})

export type BootstrapSpec = z.output<typeof BootstrapSpecSchema>
export type BootstrapSpecInput = z.input<typeof BootstrapSpecSchema>
export type InlineFile = z.output<typeof InlineFileSchema>
export type InlineFileInput = z.input<typeof InlineFileSchema>
export type OnFinish = z.output<typeof OnFinishSchema>
export type ArtifactsSpec = z.output<typeof ArtifactsSchema>
