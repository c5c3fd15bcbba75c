import { z } from 'zod';
import type { GpuAdapter } from './doctor.js';
import type { MetricName, SearchSpec, StudySpec, TrialParams } from './spec.js';

/**
 * `interrupted`: stored as running, but its owner's lease has expired (the process died); readers
 * derive it. `cancelled`: stopped by the user; resume re-runs the cancelled trials.
 */
export const studyStatuses = ['running', 'paused', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type StudyStatus = (typeof studyStatuses)[number];

/** `cancelled`: stopped by Ctrl-C, Cancel or pause-with-stop; not a failure, resume runs it again. */
export const trialStates = ['queued', 'running', 'complete', 'pruned', 'failed', 'cancelled'] as const;
export type TrialState = (typeof trialStates)[number];

/** Finished states: a trial in one of these is never written again (but for notes and tags). */
export const finishedStates: ReadonlySet<TrialState> = new Set(['complete', 'pruned', 'failed', 'cancelled']);

/** Why a trial failed (or was cancelled), apart from the message; retry decisions read it. */
export const trialFailureCodes = [
  'TRIAL_DIVERGED',
  'TRIAL_CRASHED',
  'TRIAL_TIMEOUT',
  'HEARTBEAT_LOST',
  'TRIAL_OOM',
  'TRIAL_CANCELLED',
  'STALE',
  /** Its result could not be written (disk full, I/O error); resume runs it again. */
  'NOT_STORED',
  'DATASET_CHANGED',
  'OBJECTIVE_INVALID',
  'TRIAL_ERROR',
] as const;
export type TrialFailureCode = (typeof trialFailureCodes)[number];

/** The process that owns a running study (its lease), as readers show it. */
export interface StudyOwner {
  ownerId: string;
  host: string;
  pid: number;
  heartbeatAt: number;
  expiresAt: number;
}

export type Task = 'classification' | 'regression';
export type Direction = 'minimize' | 'maximize';

export interface Study {
  id: number;
  name: string;
  /** The spec after validation and defaults, exactly as the sweep used it. */
  spec: StudySpec;
  objective: { metric: MetricName; direction: Direction };
  strategy: SearchSpec['strategy'];
  status: StudyStatus;
  /** Why the study stopped when status is failed, paused or cancelled (K failures in a row...). */
  statusReason: string | null;
  /** How many trials the strategy will produce in all (grid size or random budget). */
  plannedTrials: number;
  datasetFingerprint: string;
  datasetName: string;
  appVersion: string;
  notes: string;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  /** The live owner (lease holder) of a running study, null when none; unset by older builds. */
  owner?: StudyOwner | null;
}

/** A study with its counts and best value, as listed. */
export interface StudySummary extends Study {
  /**
   * Trials per state, the latest attempt of each planned trial only (a retried or re-run attempt
   * is not counted again), so the counts never add up to more than planned.
   */
  counts: Record<TrialState, number>;
  bestValue: number | null;
  bestTrialNumber: number | null;
}

export interface Trial {
  id: number;
  studyId: number;
  /** 0..n-1, unique within its study, in the order the strategy asked for them. */
  number: number;
  params: TrialParams;
  state: TrialState;
  /** The objective at the best epoch; a pruned trial keeps its last reported value; else null. */
  value: number | null;
  bestEpoch: number | null;
  epochsRun: number;
  startedAt: number | null;
  endedAt: number | null;
  durationMs: number | null;
  worker: string | null;
  backend: string | null;
  /**
   * Why a faster backend was not used ("tfjs-node-gpu: not installed"), else null. Trials stored
   * before the adapter had its own field start it with "adapter ...".
   */
  backendNote: string | null;
  /** The GPU adapter the trial trained on (webgpu), else null. */
  adapter: GpuAdapter | null;
  /** Failure reason: `diverged: ...`, `crashed(SIGKILL)`, `timeout`, `stale`, or the error text. */
  error: string | null;
  /** The failure (or cancel) code; null for trials that did not fail. */
  errorCode: TrialFailureCode | null;
  /** The attempt this trial re-runs (after a crash, lost heartbeat, stale or cancel), else null. */
  retryOf: number | null;
  seed: number;
  heartbeatAt: number | null;
  /** How many times this trial number has been re-run after a crash or a lost heartbeat. */
  retries: number;
  notes: string;
  tags: string[];
  /**
   * With a test part (spec testSplit): test_loss and test_accuracy or test_mae at the best
   * validation epoch, never used for selection. Set by leaderboard and export reads only.
   */
  testMetrics?: Record<string, number>;
}

/** One point of one learning curve. Epochs count from 0. */
export interface MetricPoint {
  trialId: number;
  epoch: number;
  name: string;
  value: number;
}

export interface ColumnInfo {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Distinct values of a categorical column, in one-hot order. */
  categories?: string[];
  missing: number;
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
}

export interface DatasetInfo {
  /** `builtin:iris` or `csv:/abs/path.csv`. */
  key: string;
  name: string;
  source: 'builtin' | 'csv';
  path: string | null;
  /** sha256 of the source bytes plus the target and task, so a changed file is noticed. */
  fingerprint: string;
  rows: number;
  columns: ColumnInfo[];
  target: string;
  task: Task;
  classes: string[] | null;
  /** Width of the feature vector after one-hot encoding. */
  featureCount: number;
  /** Set for image sets (MNIST: [28, 28, 1]); a cnn needs it. */
  imageShape: [number, number, number] | null;
  description: string;
}

export const trialStateSchema = z.enum(trialStates);
export const studyStatusSchema = z.enum(studyStatuses);
