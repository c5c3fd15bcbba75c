-- Version 4: one owner per study (a lease row), honest trial states and counts.
-- - study.status gains 'cancelled' (and 'interrupted', which readers derive from an expired lease
--   but another store may keep); trial.state gains 'cancelled'.
-- - trial.retry_of (lineage as a column), trial.error_code (failure code apart from its message).
-- - study.control_request: pause/cancel asked by a process that does not own the study.
-- CHECK constraints cannot be altered, so study and trial are rebuilt with SQLite's documented
-- 12-step procedure (foreign keys are off during migration steps; the runner checks them before
-- commit). Ids are copied, indexes recreated; AUTOINCREMENT counters live on in sqlite_sequence.
-- Shipped: never edit.

CREATE TABLE study_new (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  name                TEXT NOT NULL UNIQUE,
  spec                TEXT NOT NULL CHECK (json_valid(spec)),
  objective_metric    TEXT NOT NULL,
  direction           TEXT NOT NULL CHECK (direction IN ('minimize', 'maximize')),
  strategy            TEXT NOT NULL,
  status              TEXT NOT NULL
    CHECK (status IN ('running', 'paused', 'done', 'failed', 'cancelled', 'interrupted')),
  status_reason       TEXT,
  planned_trials      INTEGER NOT NULL CHECK (planned_trials >= 0),
  dataset_fingerprint TEXT NOT NULL REFERENCES dataset (fingerprint),
  dataset_name        TEXT NOT NULL,
  app_version         TEXT NOT NULL,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  notes               TEXT NOT NULL DEFAULT '',
  tags                TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  control_request     TEXT CHECK (control_request IN ('pause', 'cancel'))
) STRICT;

INSERT INTO study_new (id, name, spec, objective_metric, direction, strategy, status, status_reason,
    planned_trials, dataset_fingerprint, dataset_name, app_version, created_at, updated_at, notes, tags)
  SELECT id, name, spec, objective_metric, direction, strategy, status, status_reason,
    planned_trials, dataset_fingerprint, dataset_name, app_version, created_at, updated_at, notes, tags
  FROM study;
DROP TABLE study;
ALTER TABLE study_new RENAME TO study;
CREATE INDEX study_dataset ON study (dataset_fingerprint);

CREATE TABLE trial_new (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  study_id     INTEGER NOT NULL REFERENCES study (id) ON DELETE CASCADE,
  number       INTEGER NOT NULL CHECK (number >= 0),
  params       TEXT NOT NULL CHECK (json_valid(params)),
  state        TEXT NOT NULL
    CHECK (state IN ('queued', 'running', 'complete', 'pruned', 'failed', 'cancelled')),
  value        REAL,
  best_epoch   INTEGER,
  epochs_run   INTEGER NOT NULL DEFAULT 0,
  started_at   INTEGER,
  ended_at     INTEGER,
  duration_ms  INTEGER,
  worker       TEXT,
  backend      TEXT,
  error        TEXT,
  seed         INTEGER NOT NULL,
  heartbeat_at INTEGER,
  retries      INTEGER NOT NULL DEFAULT 0 CHECK (retries >= 0),
  notes        TEXT NOT NULL DEFAULT '',
  tags         TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
  backend_note TEXT,
  -- The attempt this one re-runs (a retry after a crash, a re-run after stale or cancel).
  retry_of     INTEGER REFERENCES trial (id) ON DELETE SET NULL,
  error_code   TEXT,
  UNIQUE (study_id, number)
) STRICT;

INSERT INTO trial_new (id, study_id, number, params, state, value, best_epoch, epochs_run,
    started_at, ended_at, duration_ms, worker, backend, error, seed, heartbeat_at, retries, notes,
    tags, backend_note)
  SELECT id, study_id, number, params, state, value, best_epoch, epochs_run, started_at, ended_at,
    duration_ms, worker, backend, error, seed, heartbeat_at, retries, notes, tags, backend_note
  FROM trial;
DROP TABLE trial;
ALTER TABLE trial_new RENAME TO trial;
CREATE INDEX trial_study_state_value ON trial (study_id, state, value);
CREATE INDEX trial_study_value ON trial (study_id, value);
CREATE INDEX trial_study_optimizer ON trial (study_id, json_extract(params, '$.optimizer'));
CREATE INDEX trial_retry_of ON trial (retry_of) WHERE retry_of IS NOT NULL;

-- Lineage of older studies, which kept it only in seeds: a re-run shares its seed and comes later.
UPDATE trial SET retry_of = (
  SELECT prev.id FROM trial AS prev
  WHERE prev.study_id = trial.study_id AND prev.seed = trial.seed AND prev.number < trial.number
  ORDER BY prev.number DESC LIMIT 1
) WHERE retries > 0;

-- Failure codes of older trials, read from the texts the engine wrote.
UPDATE trial SET error_code = CASE
    WHEN error = 'stale' THEN 'STALE'
    WHEN error = 'cancelled' THEN 'TRIAL_CANCELLED'
    WHEN error = 'timeout' THEN 'TRIAL_TIMEOUT'
    WHEN error = 'heartbeat lost' THEN 'HEARTBEAT_LOST'
    WHEN error LIKE 'crashed%' THEN 'TRIAL_CRASHED'
    WHEN error LIKE 'diverged%' THEN 'TRIAL_DIVERGED'
    ELSE 'TRIAL_ERROR' END
WHERE state = 'failed';
-- A trial the user cancelled was stored as failed: it is cancelled.
UPDATE trial SET state = 'cancelled' WHERE state = 'failed' AND error = 'cancelled';
UPDATE study SET status = 'cancelled' WHERE status = 'paused' AND status_reason = 'cancelled';

-- One owner per study at a time. expires_at is renewed by the owner's heartbeat; past it, another
-- process may take the study over (and fails its running trials as stale, once).
CREATE TABLE study_lease (
  study_id     INTEGER PRIMARY KEY REFERENCES study (id) ON DELETE CASCADE,
  owner_id     TEXT NOT NULL,
  host         TEXT NOT NULL,
  pid          INTEGER NOT NULL,
  acquired_at  INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL
) STRICT;
