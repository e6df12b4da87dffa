import type { ColumnType, Generated, Insertable, JSONColumnType, Selectable, Updateable } from 'kysely'
import type { ArtifactStatus, DatasetStatus, DeploymentEventKind, DeploymentStatus, FailureReason, ProviderName } from '@podlaunch/contract'

// Timestamps are read as Date and may be written as Date or ISO string.
type Timestamp = ColumnType<Date, Date | string, Date | string>
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>
// pg returns bigint and numeric as strings; we convert at the edges.
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>
type Numeric = ColumnType<string, string | number, string | number>
// bigserial keys: read as strings, assigned by the database.
type SerialId = ColumnType<string, never, never>

export interface UsersTable {
  id: Generated<string>
  name: string
  is_admin: Generated<boolean>
  /** The host app's stable id for a user it maps through createPodlaunch's `authenticate` hook. */
  external_id: ColumnType<string | null, string | null | undefined, string | null>
  created_at: DefaultTimestamp
}

export interface ApiKeysTable {
  id: Generated<string>
  user_id: string
  name: string
  key_hash: string
  prefix: string
  created_at: DefaultTimestamp
  last_used_at: Timestamp | null
  revoked_at: Timestamp | null
}

export interface DatasetsTable {
  id: Generated<string>
  owner_id: string
  name: string
  original_filename: string
  storage_key: string
  size_bytes: Int8
  sha256: string | null
  status: ColumnType<DatasetStatus, DatasetStatus | undefined, DatasetStatus>
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
}

export interface DeploymentsTable {
  id: Generated<string>
  owner_id: string
  dataset_id: string | null
  name: string
  status: ColumnType<DeploymentStatus, DeploymentStatus | undefined, DeploymentStatus>
  failure_reason: FailureReason | null
  failure_message: string | null
  provider: ProviderName
  provider_pod_id: string | null
  spec: JSONColumnType<Record<string, unknown>>
  script: string
  script_sha256: string
  idempotency_key: string | null
  gpu_type: string | null
  cost_per_hr: Numeric | null
  max_runtime_s: number | null
  max_cost_usd: Numeric | null
  keep_alive_s: number
  download_jti: string | null
  pod_jti: string | null
  last_heartbeat_at: Timestamp | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
  started_at: Timestamp | null
  finished_at: Timestamp | null
  pod_terminated_at: Timestamp | null
}

export interface DeploymentEventsTable {
  id: SerialId
  deployment_id: string
  at: DefaultTimestamp
  // Read as text: a pod's report kinds are open-ended; written only as a server kind or a parsed report kind.
  kind: ColumnType<string, DeploymentEventKind, DeploymentEventKind>
  status: DeploymentStatus | null
  message: string | null
  data: JSONColumnType<Record<string, unknown>> | null
}

export interface DeploymentLogsTable {
  id: SerialId
  deployment_id: string
  at: Timestamp
  line: string
}

export interface DeploymentMetricsTable {
  id: SerialId
  deployment_id: string
  name: string
  step: Int8
  value: number
  at: Timestamp
}

export interface PodEventBatchesTable {
  deployment_id: string
  seq: Int8
  received_at: DefaultTimestamp
}

export interface TokenRevocationsTable {
  jti: string
  expires_at: Timestamp
  revoked_at: DefaultTimestamp
  reason: string
}

export interface DownloadLogTable {
  id: SerialId
  jti: string
  dataset_id: string | null
  deployment_id: string | null
  range: string | null
  bytes_sent: Int8
  status: number
  at: DefaultTimestamp
}

export interface ArtifactsTable {
  id: Generated<string>
  deployment_id: string
  name: string
  size_bytes: Int8
  sha256: string
  status: ColumnType<ArtifactStatus, ArtifactStatus | undefined, ArtifactStatus>
  storage_key: string
  /** Bytes the server holds (the partial file's size when the row was last written). */
  received_bytes: ColumnType<string, string | number | bigint | undefined, string | number | bigint>
  failure_code: string | null
  created_at: DefaultTimestamp
  updated_at: DefaultTimestamp
  completed_at: Timestamp | null
}

export interface SchemaMigrationsTable {
  name: string
  checksum: string
  applied_at: DefaultTimestamp
}

export interface Database {
  users: UsersTable
  api_keys: ApiKeysTable
  datasets: DatasetsTable
  deployments: DeploymentsTable
  deployment_events: DeploymentEventsTable
  deployment_logs: DeploymentLogsTable
  deployment_metrics: DeploymentMetricsTable
  pod_event_batches: PodEventBatchesTable
  token_revocations: TokenRevocationsTable
  download_log: DownloadLogTable
  artifacts: ArtifactsTable
  schema_migrations: SchemaMigrationsTable
}

export type User = Selectable<UsersTable>
export type ApiKey = Selectable<ApiKeysTable>
export type NewApiKey = Insertable<ApiKeysTable>
export type Dataset = Selectable<DatasetsTable>
export type NewDataset = Insertable<DatasetsTable>
export type DatasetUpdate = Updateable<DatasetsTable>
export type Deployment = Selectable<DeploymentsTable>
export type NewDeployment = Insertable<DeploymentsTable>
export type DeploymentUpdate = Updateable<DeploymentsTable>
export type DeploymentEvent = Selectable<DeploymentEventsTable>
export type NewDeploymentEvent = Insertable<DeploymentEventsTable>
export type DeploymentLog = Selectable<DeploymentLogsTable>
export type DeploymentMetric = Selectable<DeploymentMetricsTable>
export type TokenRevocation = Selectable<TokenRevocationsTable>
export type DownloadLogEntry = Insertable<DownloadLogTable>
export type Artifact = Selectable<ArtifactsTable>
export type NewArtifact = Insertable<ArtifactsTable>
export type ArtifactUpdate = Updateable<ArtifactsTable>
