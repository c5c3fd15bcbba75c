import type {
  DatasetInfo,
  MetricPoint,
  Study,
  StudyStatus,
  StudySummary,
  Trial,
  TrialState,
} from '../api/domain.js';
import type { StudySpec, TrialParams } from '../api/spec.js';

export interface NewStudy {
  name: string;
  spec: StudySpec;
  plannedTrials: number;
  dataset: DatasetInfo;
  appVersion: string;
}

export interface TrialResult {
  state: Extract<TrialState, 'complete' | 'pruned' | 'failed'>;
  value: number | null;
  bestEpoch: number | null;
  epochsRun: number;
  endedAt: number;
  error: string | null;
  backend: string | null;
  /** Why a faster backend was not used, when one was not. */
  backendNote?: string | null;
}

/**
 * One page of a study's trials. `sort` defaults to number. `descending` unset sorts `value`
 * best-first for the study's direction and the other keys ascending; set, it is the literal
 * order. NULLs sort last either way; ties go by number; `total` counts all matches.
 */
export interface TrialQuery {
  states?: TrialState[];
  /** Matches `params.optimizer`. */
  optimizer?: string;
  sort?: 'value' | 'number' | 'duration' | 'state';
  descending?: boolean;
  offset?: number;
  limit?: number;
  /**
   * Rank `value` by the objective at this epoch (or the last one) instead of the best epoch:
   * read from the objective metric's curve for every trial (null where it has no such point).
   */
  valueAt?: 'best' | 'last' | { epoch: number };
}

/** What the optimization-history chart needs of a trial, and no more. */
export interface HistoryRow {
  trialId: number;
  number: number;
  state: TrialState;
  /** As in listTrials: the stored best value, or the objective at the last or a given epoch. */
  value: number | null;
  durationMs: number | null;
  params: Pick<TrialParams, 'optimizer' | 'learningRate' | 'batchSize' | 'lrSchedule'>;
}

/**
 * Where studies, trials and learning curves live. The engine is the one writer.
 *
 * Contract:
 * - `createTrial` assigns the next number atomically; numbers are unique per study, never reused.
 * - `finishTrial` writes the remaining metrics and the final state in one transaction, durably
 *   (a finished trial is never lost). A finished trial is never changed again but for notes/tags.
 * - `appendMetrics` is all-or-nothing for its batch; a point already stored (trial, name, epoch)
 *   is replaced. A NaN value is kept and read back as NaN; finishTrial stores a non-finite
 *   objective as null.
 * - Writes to a finished trial (metrics, running, backend, finish) reject with CONFLICT; a point
 *   with a bad epoch/name (or, in finishTrial, of another trial) with ARGUMENT_INVALID.
 * - `heartbeat` touches running trials only and ignores other ids (a late beat is harmless).
 * - `getMetrics` returns points ordered by trial, name, epoch; unknown trial ids yield none.
 * - `createStudy` records the dataset too and starts the study as running; a taken name
 *   rejects with CONFLICT (also in `updateStudy`). `listStudies` is newest first.
 * - `recoverStale` turns every trial of a study still `running` or `queued` into `failed` with
 *   error `stale` and returns them; it is what `resume` calls after a crash.
 * - Methods reject with TunebenchError(NOT_FOUND) for an unknown study or trial,
 *   STORE_LOCKED when another writer holds the database past the busy timeout, STORE_CORRUPT
 *   when the database is damaged.
 * - `studyRef` is an id or a name; a name that looks like a number is matched as a name first.
 */
export interface Store {
  createStudy(input: NewStudy): Promise<Study>;
  getStudy(studyRef: number | string): Promise<Study>;
  listStudies(): Promise<StudySummary[]>;
  summarizeStudy(studyId: number): Promise<StudySummary>;
  setStudyStatus(studyId: number, status: StudyStatus, reason?: string | null): Promise<void>;
  updateStudy(studyId: number, patch: { name?: string; notes?: string; tags?: string[] }): Promise<Study>;
  deleteStudy(studyId: number): Promise<void>;

  createTrial(studyId: number, params: TrialParams, seed: number, retries?: number): Promise<Trial>;
  markTrialRunning(trialId: number, worker: string, startedAt: number): Promise<void>;
  setTrialBackend(trialId: number, backend: string): Promise<void>;
  heartbeat(trialIds: readonly number[], at: number): Promise<void>;
  appendMetrics(points: readonly MetricPoint[]): Promise<void>;
  finishTrial(trialId: number, result: TrialResult, lastPoints: readonly MetricPoint[]): Promise<Trial>;
  recoverStale(studyId: number, at: number): Promise<Trial[]>;
  updateTrialNotes(trialId: number, patch: { notes?: string; tags?: string[] }): Promise<Trial>;

  getTrial(trialId: number): Promise<Trial>;
  listTrials(studyId: number, query?: TrialQuery): Promise<{ total: number; rows: Trial[] }>;
  /** Every trial of a study in number order, narrowly, for the history chart. */
  historyRows(studyId: number, valueAt?: TrialQuery['valueAt']): Promise<HistoryRow[]>;
  getMetrics(trialIds: readonly number[], names?: readonly string[]): Promise<MetricPoint[]>;

  upsertDataset(info: DatasetInfo): Promise<void>;
  getDataset(fingerprint: string): Promise<DatasetInfo | null>;

  /** The folder for trials' files (saved weights) beside the database; null: the store keeps none. */
  readonly artifactRoot: string | null;
  /** Records a trial's file or folder (kind `weights`: a tfjs model folder) inside artifactRoot. */
  putArtifact(trialId: number, kind: string, path: string): Promise<void>;
  /** The absolute path recorded for a trial and kind, or null. */
  getArtifact(trialId: number, kind: string): Promise<string | null>;

  close(): Promise<void>;
}
