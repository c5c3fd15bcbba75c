import type {
  DatasetInfo,
  Direction,
  MetricPoint,
  Study,
  StudyOwner,
  StudyStatus,
  Trial,
  TrialFailureCode,
  TrialState,
} from '../api/domain.js';
import type { GpuAdapter } from '../api/doctor.js';
import type { MetricName, StudySpec, TrialParams } from '../api/spec.js';
import type { NewStudy } from './store.js';

// Row shapes as SQLite returns them (snake_case, JSON as text). The CHECK constraints in
// migrations/ guarantee the string unions, so the casts below narrow what the schema enforces.

export interface StudyRow {
  id: number;
  name: string;
  spec: string;
  objective_metric: string;
  direction: string;
  strategy: string;
  status: string;
  status_reason: string | null;
  planned_trials: number;
  dataset_fingerprint: string;
  dataset_name: string;
  app_version: string;
  notes: string;
  tags: string;
  created_at: number;
  updated_at: number;
  control_request?: string | null;
  /** From the LEFT JOIN on study_lease (studyColumns); absent on RETURNING rows. */
  lease_owner_id?: string | null;
  lease_host?: string | null;
  lease_pid?: number | null;
  lease_heartbeat_at?: number | null;
  lease_expires_at?: number | null;
}

export interface TrialRow {
  id: number;
  study_id: number;
  number: number;
  params: string;
  state: string;
  value: number | null;
  best_epoch: number | null;
  epochs_run: number;
  started_at: number | null;
  ended_at: number | null;
  duration_ms: number | null;
  worker: string | null;
  backend: string | null;
  backend_note: string | null;
  /** JSON of a GpuAdapter (migration 6). */
  adapter: string | null;
  error: string | null;
  seed: number;
  heartbeat_at: number | null;
  retries: number;
  notes: string;
  tags: string;
  retry_of: number | null;
  error_code: string | null;
}

export interface MetricRow {
  trial_id: number;
  name: string;
  epoch: number;
  value: number | null;
}

export interface DatasetRow {
  info: string;
}

/** The live lease holder, or null; `isExpired` when a lease row outlived its expiry. */
function leaseOf(row: StudyRow, now: number): { owner: StudyOwner | null; isExpired: boolean } {
  if (row.lease_owner_id == null || row.lease_expires_at == null) return { owner: null, isExpired: false };
  if (row.lease_expires_at <= now) return { owner: null, isExpired: true };
  const owner = {
    ownerId: row.lease_owner_id,
    host: row.lease_host ?? '',
    pid: row.lease_pid ?? 0,
    heartbeatAt: row.lease_heartbeat_at ?? 0,
    expiresAt: row.lease_expires_at,
  };
  return { owner, isExpired: false };
}

/** A study row (joined with its lease) as read at `now`: running with an expired lease is interrupted. */
export function toStudy(row: StudyRow, now: number = Date.now()): Study {
  const { owner, isExpired } = leaseOf(row, now);
  const status = row.status === 'running' && isExpired ? 'interrupted' : (row.status as StudyStatus);
  return {
    id: row.id,
    name: row.name,
    spec: JSON.parse(row.spec) as StudySpec,
    objective: { metric: row.objective_metric as MetricName, direction: row.direction as Direction },
    strategy: row.strategy as Study['strategy'],
    status,
    statusReason: row.status_reason,
    plannedTrials: row.planned_trials,
    datasetFingerprint: row.dataset_fingerprint,
    datasetName: row.dataset_name,
    appVersion: row.app_version,
    notes: row.notes,
    tags: JSON.parse(row.tags) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    owner,
  };
}

export function toTrial(row: TrialRow): Trial {
  return {
    id: row.id,
    studyId: row.study_id,
    number: row.number,
    params: JSON.parse(row.params) as TrialParams,
    state: row.state as TrialState,
    value: row.value,
    bestEpoch: row.best_epoch,
    epochsRun: row.epochs_run,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms,
    worker: row.worker,
    backend: row.backend,
    backendNote: row.backend_note,
    adapter: row.adapter ? (JSON.parse(row.adapter) as GpuAdapter) : null,
    error: row.error,
    errorCode: row.error_code as TrialFailureCode | null,
    retryOf: row.retry_of,
    seed: row.seed,
    heartbeatAt: row.heartbeat_at,
    retries: row.retries,
    notes: row.notes,
    tags: JSON.parse(row.tags) as string[],
  };
}

/** SQLite stores a bound NaN as NULL; reading it back as NaN keeps a diverged curve honest. */
export function toMetricPoint(row: MetricRow): MetricPoint {
  return { trialId: row.trial_id, name: row.name, epoch: row.epoch, value: row.value ?? Number.NaN };
}

export function toDataset(row: DatasetRow): DatasetInfo {
  return JSON.parse(row.info) as DatasetInfo;
}

/** The named parameters of the study insert. */
export function fromNewStudy(input: NewStudy, now: number) {
  return {
    name: input.name,
    spec: JSON.stringify(input.spec),
    metric: input.spec.objective.metric,
    direction: input.spec.objective.direction,
    strategy: input.spec.search.strategy,
    planned: input.plannedTrials,
    fingerprint: input.dataset.fingerprint,
    datasetName: input.dataset.name,
    appVersion: input.appVersion,
    now,
  };
}
