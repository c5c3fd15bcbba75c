import { z } from 'zod';
import type { MetricName, SearchSpec, StudySpec, TrialParams } from './spec.js';

export const studyStatuses = ['running', 'paused', 'done', 'failed'] as const;
export type StudyStatus = (typeof studyStatuses)[number];

export const trialStates = ['queued', 'running', 'complete', 'pruned', 'failed'] as const;
export type TrialState = (typeof trialStates)[number];

/** Finished states: a trial in one of these is never written again (but for notes and tags). */
export const finishedStates: ReadonlySet<TrialState> = new Set(['complete', 'pruned', 'failed']);

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
  /** Why the study stopped when status is failed or paused (cancelled, K failures in a row...). */
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
}

/** A study with its counts and best value, as listed. */
export interface StudySummary extends Study {
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
  /** The objective at the best epoch when complete; a pruned trial keeps its last reported value. */
  value: number | null;
  bestEpoch: number | null;
  epochsRun: number;
  startedAt: number | null;
  endedAt: number | null;
  durationMs: number | null;
  worker: string | null;
  backend: string | null;
  /** Why a faster backend was not used ("tfjs-node-gpu: not installed"), else null. */
  backendNote: string | null;
  /** Failure reason: `diverged: ...`, `crashed(SIGKILL)`, `timeout`, `stale`, or the error text. */
  error: string | null;
  seed: number;
  heartbeatAt: number | null;
  /** How many times this trial number has been re-run after a crash or a lost heartbeat. */
  retries: number;
  notes: string;
  tags: string[];
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
