import type Database from 'better-sqlite3';
import type { DatasetRow, fromNewStudy, MetricRow, StudyRow, TrialRow } from './rowMappers.js';
import type { TrialResult } from './store.js';

type Db = Database.Database;

/** A study with its lease, for toStudy (which derives `interrupted` and `owner` from it). */
const studyWithLease = `SELECT study.*, l.owner_id AS lease_owner_id, l.host AS lease_host, l.pid AS lease_pid,
    l.heartbeat_at AS lease_heartbeat_at, l.expires_at AS lease_expires_at
  FROM study LEFT JOIN study_lease AS l ON l.study_id = study.id`;

/** The latest attempt of each planned trial: no other trial re-runs it. */
const latestAttempt = 'NOT EXISTS (SELECT 1 FROM trial AS rerun WHERE rerun.retry_of = trial.id)';

/** Every fixed statement of the SQLite store, prepared once per connection. */
export function prepareStatements(db: Db) {
  // Lists of ids or names are bound as one JSON array: no parameter-count limit, one prepared form.
  return {
    insertStudy: db.prepare<ReturnType<typeof fromNewStudy>, StudyRow>(
      `INSERT INTO study (name, spec, objective_metric, direction, strategy, status, planned_trials,
         dataset_fingerprint, dataset_name, app_version, created_at, updated_at)
       VALUES (@name, @spec, @metric, @direction, @strategy, 'running', @planned,
         @fingerprint, @datasetName, @appVersion, @now, @now)
       RETURNING *`,
    ),
    studyById: db.prepare<[number], StudyRow>(`${studyWithLease} WHERE study.id = ?`),
    studyByName: db.prepare<[string], StudyRow>(`${studyWithLease} WHERE study.name = ?`),
    allStudies: db.prepare<[], StudyRow>(`${studyWithLease} ORDER BY study.id DESC`),
    setStudyStatus: db.prepare<[string, string | null, number, number]>(
      'UPDATE study SET status = ?, status_reason = ?, updated_at = ? WHERE id = ?',
    ),
    updateStudy: db.prepare<
      { id: number; name: string | null; notes: string | null; tags: string | null; spec: string | null; planned: number | null; now: number },
      StudyRow
    >(
      `UPDATE study SET name = coalesce(@name, name), notes = coalesce(@notes, notes),
         tags = coalesce(@tags, tags), spec = coalesce(@spec, spec),
         planned_trials = coalesce(@planned, planned_trials), updated_at = @now
       WHERE id = @id RETURNING *`,
    ),
    deleteStudy: db.prepare<[number]>('DELETE FROM study WHERE id = ?'),
    stateCounts: db.prepare<[number], { state: string; n: number }>(
      `SELECT state, count(*) AS n FROM trial WHERE study_id = ? AND ${latestAttempt} GROUP BY state`,
    ),
    allStateCounts: db.prepare<[], { study_id: number; state: string; n: number }>(
      `SELECT study_id, state, count(*) AS n FROM trial WHERE ${latestAttempt} GROUP BY study_id, state`,
    ),
    bestMinimize: db.prepare<[number], { number: number; value: number }>(
      `SELECT number, value FROM trial
       WHERE study_id = ? AND state = 'complete' AND value IS NOT NULL
       ORDER BY value ASC, number ASC LIMIT 1`,
    ),
    bestMaximize: db.prepare<[number], { number: number; value: number }>(
      `SELECT number, value FROM trial
       WHERE study_id = ? AND state = 'complete' AND value IS NOT NULL
       ORDER BY value DESC, number ASC LIMIT 1`,
    ),

    nextNumber: db.prepare<[number], { next: number }>(
      'SELECT coalesce(max(number), -1) + 1 AS next FROM trial WHERE study_id = ?',
    ),
    insertTrial: db.prepare<[number, number, string, number, number, number | null], TrialRow>(
      `INSERT INTO trial (study_id, number, params, state, seed, retries, retry_of)
       VALUES (?, ?, ?, 'queued', ?, ?, ?) RETURNING *`,
    ),
    trialById: db.prepare<[number], TrialRow>('SELECT * FROM trial WHERE id = ?'),
    statesOfTrials: db.prepare<[string], { id: number; state: string }>(
      'SELECT id, state FROM trial WHERE id IN (SELECT value FROM json_each(?))',
    ),
    markRunning: db.prepare<{ id: number; worker: string; at: number }>(
      `UPDATE trial SET state = 'running', worker = @worker, started_at = @at, heartbeat_at = @at
       WHERE id = @id`,
    ),
    heartbeat: db.prepare<{ ids: string; at: number }>(
      `UPDATE trial SET heartbeat_at = @at
       WHERE id IN (SELECT value FROM json_each(@ids)) AND state = 'running'`,
    ),
    // Progress for live views and for what a crash leaves behind; finishTrial sets the final count.
    bumpEpochsRun: db.prepare<[number, number]>(
      `UPDATE trial SET epochs_run = max(epochs_run, ?) WHERE id = ? AND state IN ('queued', 'running')`,
    ),
    finishTrial: db.prepare<Omit<TrialResult, 'adapter'> & { id: number; adapter: string | null }, TrialRow>(
      `UPDATE trial SET state = @state, value = @value, best_epoch = @bestEpoch,
         epochs_run = @epochsRun, ended_at = @endedAt,
         duration_ms = CASE WHEN started_at IS NULL THEN NULL ELSE max(0, @endedAt - started_at) END,
         error = @error, error_code = @errorCode, backend = coalesce(@backend, backend),
         backend_note = coalesce(@backendNote, backend_note), adapter = coalesce(@adapter, adapter)
       WHERE id = @id RETURNING *`,
    ),
    recoverStale: db.prepare<{ studyId: number; at: number }, TrialRow>(
      `UPDATE trial SET state = 'failed', error = 'stale', error_code = 'STALE', ended_at = @at,
         duration_ms = CASE WHEN started_at IS NULL THEN NULL ELSE max(0, @at - started_at) END
       WHERE study_id = @studyId AND state IN ('running', 'queued') RETURNING *`,
    ),
    updateTrialNotes: db.prepare<{ id: number; notes: string | null; tags: string | null }, TrialRow>(
      `UPDATE trial SET notes = coalesce(@notes, notes), tags = coalesce(@tags, tags)
       WHERE id = @id RETURNING *`,
    ),

    putMetric: db.prepare<[number, string, number, number]>(
      'INSERT OR REPLACE INTO trial_metric (trial_id, name, epoch, value) VALUES (?, ?, ?, ?)',
    ),
    metrics: db.prepare<[string], MetricRow>(
      `SELECT trial_id, name, epoch, value FROM trial_metric
       WHERE trial_id IN (SELECT value FROM json_each(?)) ORDER BY trial_id, name, epoch`,
    ),
    namedMetrics: db.prepare<[string, string], MetricRow>(
      `SELECT trial_id, name, epoch, value FROM trial_metric
       WHERE trial_id IN (SELECT value FROM json_each(?)) AND name IN (SELECT value FROM json_each(?))
       ORDER BY trial_id, name, epoch`,
    ),

    leaseOf: db.prepare<[number], { owner_id: string; host: string; pid: number; heartbeat_at: number; expires_at: number }>(
      'SELECT owner_id, host, pid, heartbeat_at, expires_at FROM study_lease WHERE study_id = ?',
    ),
    putLease: db.prepare<{ studyId: number; ownerId: string; host: string; pid: number; now: number; expiresAt: number }>(
      `INSERT INTO study_lease (study_id, owner_id, host, pid, acquired_at, heartbeat_at, expires_at)
       VALUES (@studyId, @ownerId, @host, @pid, @now, @now, @expiresAt)
       ON CONFLICT (study_id) DO UPDATE SET owner_id = excluded.owner_id, host = excluded.host,
         pid = excluded.pid, acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at,
         expires_at = excluded.expires_at`,
    ),
    // Late but not taken over: still the owner's (nobody else has written its trials).
    renewLease: db.prepare<{ studyId: number; ownerId: string; now: number; expiresAt: number }>(
      `UPDATE study_lease SET heartbeat_at = @now, expires_at = @expiresAt
       WHERE study_id = @studyId AND owner_id = @ownerId`,
    ),
    releaseLease: db.prepare<[number, string]>('DELETE FROM study_lease WHERE study_id = ? AND owner_id = ?'),
    controlRequestOf: db.prepare<[number], { control_request: string | null }>('SELECT control_request FROM study WHERE id = ?'),
    clearControlRequest: db.prepare<[number]>('UPDATE study SET control_request = NULL WHERE id = ?'),
    setControlRequest: db.prepare<[string, number]>(
      `UPDATE study SET control_request = CASE WHEN control_request = 'cancel' THEN 'cancel' ELSE ? END WHERE id = ?`,
    ),

    upsertDataset: db.prepare<{ fingerprint: string; key: string; name: string; info: string; now: number }>(
      `INSERT INTO dataset (fingerprint, key, name, info, created_at)
       VALUES (@fingerprint, @key, @name, @info, @now)
       ON CONFLICT (fingerprint) DO UPDATE SET key = excluded.key, name = excluded.name, info = excluded.info`,
    ),
    datasetByFingerprint: db.prepare<[string], DatasetRow>('SELECT info FROM dataset WHERE fingerprint = ?'),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
