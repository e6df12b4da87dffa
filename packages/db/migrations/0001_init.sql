-- podlaunch schema, version 1. Plain SQL: `psql -f` applies it as well as `migrate()`.
-- Landed migrations are frozen; later changes go into new files.

CREATE TABLE users (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  is_admin    boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now()
);

-- Only a sha256 of the key is stored; the prefix lets people recognise a key in a list.
CREATE TABLE api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name          text NOT NULL,
  key_hash      text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  prefix        text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_keys_user_idx ON api_keys (user_id, created_at DESC);

CREATE TABLE datasets (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name               text NOT NULL,
  original_filename  text NOT NULL,
  storage_key        text NOT NULL UNIQUE,
  size_bytes         bigint NOT NULL CHECK (size_bytes >= 0),
  sha256             text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  status             text NOT NULL DEFAULT 'uploading'
                       CHECK (status IN ('uploading', 'ready', 'deleted')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX datasets_owner_list_idx ON datasets (owner_id, created_at DESC, id DESC);

CREATE TABLE deployments (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id           uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  dataset_id         uuid REFERENCES datasets (id),
  name               text NOT NULL,
  status             text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'provisioning', 'starting', 'downloading',
                                         'training', 'succeeded', 'failed', 'cancelled')),
  failure_reason     text CHECK (failure_reason IN ('provider_error', 'no_capacity', 'download_failed',
                                         'checksum_mismatch', 'training_failed', 'setup_failed',
                                         'provisioning_timeout', 'heartbeat_lost',
                                         'max_runtime_exceeded', 'budget_exceeded', 'cancelled')),
  failure_message    text,
  provider           text NOT NULL CHECK (provider IN ('local', 'runpod')),
  provider_pod_id    text,
  spec               jsonb NOT NULL,
  script             text NOT NULL,
  script_sha256      text NOT NULL CHECK (script_sha256 ~ '^[0-9a-f]{64}$'),
  idempotency_key    text,
  gpu_type           text,
  cost_per_hr        numeric(12, 4),
  max_runtime_s      integer CHECK (max_runtime_s > 0),
  max_cost_usd       numeric(12, 4) CHECK (max_cost_usd > 0),
  keep_alive_s       integer NOT NULL CHECK (keep_alive_s >= 0),
  download_jti       text,
  pod_jti            text,
  last_heartbeat_at  timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  started_at         timestamptz,
  finished_at        timestamptz,
  pod_terminated_at  timestamptz,
  UNIQUE (owner_id, idempotency_key)
);
CREATE INDEX deployments_owner_list_idx ON deployments (owner_id, created_at DESC, id DESC);
CREATE INDEX deployments_owner_status_idx ON deployments (owner_id, status, created_at DESC);
-- The reconciler scans pods that may still bill: live deployments and finished ones not torn down.
CREATE INDEX deployments_live_idx ON deployments (status) WHERE pod_terminated_at IS NULL;

CREATE TABLE deployment_events (
  id             bigserial PRIMARY KEY,
  deployment_id  uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  at             timestamptz NOT NULL DEFAULT now(),
  kind           text NOT NULL,
  status         text,
  message        text,
  data           jsonb
);
CREATE INDEX deployment_events_deployment_idx ON deployment_events (deployment_id, id);

CREATE TABLE deployment_logs (
  id             bigserial PRIMARY KEY,
  deployment_id  uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  at             timestamptz NOT NULL,
  line           text NOT NULL
);
CREATE INDEX deployment_logs_deployment_idx ON deployment_logs (deployment_id, id);

CREATE TABLE deployment_metrics (
  id             bigserial PRIMARY KEY,
  deployment_id  uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  name           text NOT NULL,
  step           bigint NOT NULL,
  value          double precision NOT NULL,
  at             timestamptz NOT NULL,
  UNIQUE (deployment_id, name, step)
);

-- Pod callback batches seen, so a retried batch is stored once.
CREATE TABLE pod_event_batches (
  deployment_id  uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  seq            bigint NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (deployment_id, seq)
);

CREATE TABLE token_revocations (
  jti         text PRIMARY KEY,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz NOT NULL DEFAULT now(),
  reason      text NOT NULL
);
CREATE INDEX token_revocations_expiry_idx ON token_revocations (expires_at);

CREATE TABLE download_log (
  id             bigserial PRIMARY KEY,
  jti            text NOT NULL,
  dataset_id     uuid REFERENCES datasets (id) ON DELETE SET NULL,
  deployment_id  uuid REFERENCES deployments (id) ON DELETE SET NULL,
  range          text,
  bytes_sent     bigint NOT NULL CHECK (bytes_sent >= 0),
  status         integer NOT NULL,
  at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX download_log_dataset_idx ON download_log (dataset_id, at DESC);
