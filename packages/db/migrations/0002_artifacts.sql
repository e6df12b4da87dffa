-- podlaunch schema, version 2: artifacts a pod uploads after training (the trained model).
-- Landed migrations are frozen; later changes go into new files.

-- One row per declared artifact. The bytes live under the data root (`<dataDir>/artifacts/`)
-- under a server-generated storage key: a partial file while `uploading`, the final file once
-- `complete` (size and sha256 checked against what the pod declared).
CREATE TABLE artifacts (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  deployment_id   uuid NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
  name            text NOT NULL,
  size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
  sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  status          text NOT NULL DEFAULT 'uploading'
                    CHECK (status IN ('uploading', 'complete', 'failed')),
  storage_key     text NOT NULL UNIQUE,
  received_bytes  bigint NOT NULL DEFAULT 0 CHECK (received_bytes >= 0),
  failure_code    text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz,
  UNIQUE (deployment_id, name)
);
