import type {
  DatasetInfo,
  Direction,
  MetricPoint,
  Study,
  StudyStatus,
  Trial,
  TrialState,
} from '../api/domain.js';
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
  error: string | null;
  seed: number;
  heartbeat_at: number | null;
  retries: number;
  notes: string;
  tags: string;
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

export function toStudy(row: StudyRow): Study {
  return {
    id: row.id,
    name: row.name,
    spec: JSON.parse(row.spec) as StudySpec,
    objective: { metric: row.objective_metric as MetricName, direction: row.direction as Direction },
    strategy: row.strategy as Study['strategy'],
    status: row.status as StudyStatus,
    statusReason: row.status_reason,
    plannedTrials: row.planned_trials,
    datasetFingerprint: row.dataset_fingerprint,
    datasetName: row.dataset_name,
    appVersion: row.app_version,
    notes: row.notes,
    tags: JSON.parse(row.tags) as string[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
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
    error: row.error,
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
