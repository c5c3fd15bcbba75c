import type { DoctorReport, GpuAdapter } from '../api/doctor.js';
import type { LrFindResult } from '../api/lrFind.js';
import type { DatasetRef, ModelSpec, TrialParams } from '../api/spec.js';
import type { CheckpointRule } from './checkpoint.js';

/**
 * Messages between the engine and a trial worker process. Workers never open the database:
 * they send plain numbers to the engine, which is the one writer. A worker runs one trial at a
 * time and stays alive across trials (a dataset is loaded once per worker and cached).
 */
export interface TrialJob {
  trialId: number;
  number: number;
  params: TrialParams;
  /** Seeds weight initialisation and batch shuffling. */
  seed: number;
  dataset: DatasetRef;
  /** Directory a relative CSV path is resolved against. */
  baseDir: string;
  /** The fingerprint the study recorded; a worker refuses a dataset that no longer matches. */
  datasetFingerprint: string;
  model: ModelSpec;
  epochs: number;
  validationSplit: number;
  /** The held-out test part's fraction, when the spec has one (test_* metrics are reported). */
  testSplit?: number;
  /** Seeds the train/validation split: the same for every trial of a study. */
  splitSeed: number;
  /** When set, the worker saves the trained model here (tfjs layers format). */
  saveModelTo?: string;
  /**
   * With saveModelTo: the saved weights are those of the best epoch by this rule (a copy kept in
   * memory each time the metric improves), not the last epoch's.
   */
  checkpointBy?: CheckpointRule;
  /**
   * The study prunes: after each epoch but the last, the worker waits for the engine's verdict
   * before training on, so a pruned trial stops at the very epoch it was judged on (as Optuna's
   * report + should_prune), never a few epochs later.
   */
  awaitsVerdict?: boolean;
}

export type ToWorker =
  | { type: 'run'; job: TrialJob }
  /**
   * Trials of one study that share a pack key (packing.ts), trained as one packed model where the
   * backend allows (else one after another). Each is reported as if run alone: started, epoch,
   * heartbeat and done messages carry its own trialId; stop and verdict address one member.
   */
  | { type: 'runPack'; jobs: TrialJob[] }
  /** Stop the running trial after the current batch (prune or cancel). */
  | { type: 'stop'; trialId: number }
  /** The answer to an epoch report of a job that awaitsVerdict: prune stops it there. */
  | { type: 'verdict'; trialId: number; epoch: number; prune: boolean }
  | { type: 'shutdown' };

export interface EpochReport {
  type: 'epoch';
  trialId: number;
  epoch: number;
  /** loss, val_loss, accuracy|mae, val_accuracy|val_mae, lr, epoch_ms; test_loss, test_accuracy|test_mae with a test part. */
  metrics: Record<string, number>;
}

export type TrialEnd =
  /** `modelNotSaved`: why the weights asked for (saveModelTo) could not be written; the trial still counts. */
  | { state: 'complete'; epochsRun: number; modelNotSaved?: string }
  /** Stopped on request (prune or cancel) after epochsRun epochs. */
  | { state: 'stopped'; epochsRun: number }
  /** diverged (NaN/Inf loss: never retried), dataset (the file no longer matches the study) or error (exception in training code). */
  | {
      state: 'failed';
      reason: 'diverged' | 'dataset' | 'error';
      error: string;
      epochsRun: number;
      /** The worker cannot train again (its GPU device was lost): the engine starts a fresh one. */
      retireWorker?: boolean;
    };

export type FromWorker =
  /** Sent once when the worker has chosen its backend. */
  | { type: 'ready'; backend: string; backendNote: string | null; pid: number; /** webgpu's adapter. */ adapter?: GpuAdapter | null }
  | { type: 'started'; trialId: number; backend: string }
  | EpochReport
  /** Several epoch reports in one message (EpochOutbox), in the order they were trained. */
  | { type: 'epochs'; reports: EpochReport[] }
  | { type: 'heartbeat'; trialId: number | null }
  | { type: 'done'; trialId: number; end: TrialEnd }
  /** A worker started with TUNEBENCH_DOCTOR_MS runs doctor instead of trials, sends this and exits. */
  | { type: 'doctor'; report: DoctorReport }
  /** A worker started with TUNEBENCH_LRFIND runs that range test instead, sends this and exits. */
  | { type: 'lrFind'; result: LrFindResult };

/** An LR range test (tunebench lr-find): the job's params at rates from minLr to maxLr, one per batch. */
export interface LrFindJob {
  job: TrialJob;
  minLr: number;
  maxLr: number;
  steps: number;
}
