-- podlaunch schema, version 4: users a host app maps from its own sessions (createPodlaunch's
-- `authenticate` hook). Landed migrations are frozen; later changes go into new files.

-- The host's stable id for the user; null for users podlaunch made itself (the admin, users
-- behind API keys). One podlaunch user per host id (NULLs are distinct, so any number of those).
ALTER TABLE users ADD COLUMN external_id text UNIQUE CHECK (external_id IS NULL OR length(external_id) BETWEEN 1 AND 255);
