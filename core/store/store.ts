import type {
  DatasetInfo,
  MetricPoint,
  Study,
  StudyStatus,
  StudySummary,
  StudyOwner,
  Trial,
  TrialFailureCode,
  TrialState,
} from '../api/domain.js';
import type { GpuAdapter } from '../api/doctor.js';
import type { StudySpec, TrialParams } from '../api/spec.js';
import type { TrialSortKey } from '../api/contract.js';

export interface NewStudy {
  name: string;
  spec: StudySpec;
  plannedTrials: number;
  dataset: DatasetInfo;
  appVersion: string;
}

export interface TrialResult {
  state: Extract<TrialState, 'complete' | 'pruned' | 'failed' | 'cancelled'>;
  /** Complete: the objective at the best epoch; pruned: the last reported objective. */
  value: number | null;
  bestEpoch: number | null;
  epochsRun: number;
  endedAt: number;
  error: string | null;
  /** Set for failed and cancelled trials. */
  errorCode?: TrialFailureCode | null;
  backend: string | null;
  /** Why a faster backend was not used, when one was not. */
  backendNote?: string | null;
  /** The GPU adapter it trained on (webgpu). */
  adapter?: GpuAdapter | null;
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
  /** Only trials whose tags include this one. */
  tag?: string;
  /** A parameter sorts by its value (strings alphabetically), trials without it last. */
  sort?: TrialSortKey;
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
  epochsRun: number;
  params: Pick<TrialParams, 'optimizer' | 'learningRate' | 'batchSize' | 'lrSchedule'>;
}

/**
 * A study's history as three parallel arrays (index i is the i-th trial by number): 100,000
 * trials arrive as three arrays of plain values, several times faster than 100,000 row objects.
 */
export interface HistoryColumns {
  numbers: number[];
  states: TrialState[];
  values: (number | null)[];
}

/** Who asks for a study's lease: one engine in one process. */
export interface LeaseOwner {
  /** Unique per engine instance (a random id), so a restarted process with a reused pid is another owner. */
  ownerId: string;
  host: string;
  pid: number;
}

/** Asked of a study's owner by another process; obeyed between trials/batches. */
export type ControlRequest = 'pause' | 'cancel';

/** Change feed position: compare with a later one to learn whether anything was written. */
export type ChangeMark = number;

/**
 * Where studies, trials and learning curves live. The engine that holds a study's lease is the
 * one writer of its trials.
 *
 * Contract:
 * - `createTrial` assigns the next number atomically; numbers are unique per study, never reused.
 * - `finishTrial` writes the remaining metrics and the final state in one transaction, durably
 *   (a finished trial is never lost). A finished trial is never changed again but for notes/tags.
 * - `appendMetrics` is all-or-nothing for its batch; a point already stored (trial, name, epoch)
 *   is replaced. A NaN value is kept and read back as NaN; finishTrial stores a non-finite
 *   objective as null.
 * - Writes to a finished trial (metrics, running, finish) reject with CONFLICT; a point
 *   with a bad epoch/name (or, in finishTrial, of another trial) with ARGUMENT_INVALID.
 * - `heartbeat` touches running trials only and ignores other ids (a late beat is harmless).
 * - `getMetrics` returns points ordered by trial, name, epoch; unknown trial ids yield none.
 * - `createStudy` records the dataset too and starts the study as running; a taken name
 *   rejects with CONFLICT (also in `updateStudy`). `listStudies` is newest first.
 * - Leases (one owner per study, across processes and machines): `acquireLease` is atomic. It
 *   succeeds when the study has no lease, an expired one (expires_at <= now) or one of the same
 *   ownerId (a renewal); it then fails every `running`/`queued` trial of the study as `stale`
 *   (code STALE) and returns them — unless the lease was already the caller's, so a takeover
 *   fails them exactly once. A live lease of another owner rejects with LEASE_HELD naming its
 *   host and pid; but `deadOwnerId` names an owner the caller has seen die (a process on its own
 *   host that no longer exists), whose lease then counts as expired, atomically: only while it is
 *   still that owner's. `renewLease` moves heartbeat and expiry on and returns (and clears) the pending
 *   control request; it rejects with LEASE_HELD when the caller no longer holds the lease (it
 *   expired and another took over). `releaseLease` deletes the caller's lease (a no-op otherwise).
 * - A study stored as `running` whose lease row has expired reads as `interrupted`; `owner` on a
 *   read study is the live lease holder, else null. `requestControl` stores a pause/cancel for
 *   the owner to pick up (a cancel is not downgraded by a later pause).
 * - `changeMark` is cheap and changes whenever another connection (process) committed a write;
 *   the dashboard polls it and re-reads rows only when it moved.
 * - `counts` of a summary count the latest attempt of each planned trial: a trial that another
 *   trial's `retryOf` points at is not counted.
 * - `recoverStale` turns every trial of a study still `running` or `queued` into `failed` with
 *   error `stale` (code STALE) and returns them; `acquireLease` does the same on a takeover.
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
  /** `spec` with `plannedTrials`: a finished study given more trials (extend, rerun); the strategy stays. */
  updateStudy(studyId: number, patch: { name?: string; notes?: string; tags?: string[]; spec?: StudySpec; plannedTrials?: number }): Promise<Study>;
  deleteStudy(studyId: number): Promise<void>;

  /** `retryOf`: the attempt this one re-runs (the lineage), null for a first attempt. */
  createTrial(studyId: number, params: TrialParams, seed: number, retries?: number, retryOf?: number | null): Promise<Trial>;
  markTrialRunning(trialId: number, worker: string, startedAt: number): Promise<void>;
  heartbeat(trialIds: readonly number[], at: number): Promise<void>;
  appendMetrics(points: readonly MetricPoint[]): Promise<void>;
  finishTrial(trialId: number, result: TrialResult, lastPoints: readonly MetricPoint[]): Promise<Trial>;
  recoverStale(studyId: number, at: number): Promise<Trial[]>;
  updateTrialNotes(trialId: number, patch: { notes?: string; tags?: string[] }): Promise<Trial>;

  getTrial(trialId: number): Promise<Trial>;
  listTrials(studyId: number, query?: TrialQuery): Promise<{ total: number; rows: Trial[] }>;
  /** Every trial of a study (or those numbered `numbers`) in number order, narrowly, for the history chart. */
  historyRows(studyId: number, valueAt?: TrialQuery['valueAt'], numbers?: readonly number[]): Promise<HistoryRow[]>;
  /** Number, state and value of every trial of a study, in number order: what thinning the history reads. */
  historyColumns(studyId: number, valueAt?: TrialQuery['valueAt']): Promise<HistoryColumns>;
  getMetrics(trialIds: readonly number[], names?: readonly string[]): Promise<MetricPoint[]>;

  acquireLease(studyId: number, owner: LeaseOwner, now: number, ttlMs: number, deadOwnerId?: string): Promise<{ owner: StudyOwner; staleTrials: Trial[] }>;
  renewLease(studyId: number, ownerId: string, now: number, ttlMs: number): Promise<{ request: ControlRequest | null }>;
  releaseLease(studyId: number, ownerId: string): Promise<void>;
  requestControl(studyId: number, request: ControlRequest): Promise<void>;
  changeMark(): Promise<ChangeMark>;

  upsertDataset(info: DatasetInfo): Promise<void>;
  getDataset(fingerprint: string): Promise<DatasetInfo | null>;
  /**
   * A store shared by machines (PostgreSQL) keeps an imported CSV's bytes once per dataset
   * fingerprint, so a worker elsewhere can fetch them; false when over its size cap. Absent: the
   * store is local and the file stays where the study keeps it.
   */
  keepDatasetBytes?(fingerprint: string, bytes: Uint8Array): Promise<boolean>;
  /** The bytes kept by keepDatasetBytes, unchecked (the caller verifies the fingerprint), or null. */
  datasetBytes?(fingerprint: string): Promise<Uint8Array | null>;

  /** The folder for trials' files (saved weights) beside the database; null: the store keeps none. */
  readonly artifactRoot: string | null;
  /** Records a trial's file or folder (kind `weights`: a tfjs model folder) inside artifactRoot. */
  putArtifact(trialId: number, kind: string, path: string): Promise<void>;
  /** The absolute path recorded for a trial and kind, or null. */
  getArtifact(trialId: number, kind: string): Promise<string | null>;

  close(): Promise<void>;
}
