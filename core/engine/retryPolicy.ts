import type { Trial, TrialFailureCode } from '../api/domain.js';

/** Failure messages the engine writes beside their codes (people read these; code reads the codes). */
export const failureText = {
  stale: 'stale',
  cancelled: 'cancelled',
  timeout: 'timeout',
  heartbeatLost: 'heartbeat lost',
  /** Its result could not be written (disk full, I/O error): it runs again on resume. */
  notStored: 'not stored',
} as const;

/** Failures of the process, not of the parameters: worth another attempt, up to maxRetries. */
const transientCodes: ReadonlySet<TrialFailureCode> = new Set(['TRIAL_CRASHED', 'HEARTBEAT_LOST']);

/**
 * Whether a trial's parameters run again as a new attempt. Policy (shared/RELIABILITY.md):
 * crashes and lost heartbeats are retried up to maxRetries; a trial that was stale after an app
 * crash, cancelled by the user, not stored (disk full) or met a changed dataset always runs again on resume; diverged
 * trials, errors in the training code, timeouts and out-of-memory never do. Decided by the code,
 * never the message.
 */
export function shouldRetry(trial: Pick<Trial, 'state' | 'errorCode' | 'retries'>, maxRetries: number): boolean {
  if (trial.state === 'cancelled') return true;
  if (trial.state !== 'failed' || trial.errorCode === null) return false;
  if (trial.errorCode === 'STALE' || trial.errorCode === 'NOT_STORED' || trial.errorCode === 'DATASET_CHANGED') return true;
  return transientCodes.has(trial.errorCode) && trial.retries < maxRetries;
}

/** A re-run after a stale, not-stored or cancelled attempt is not a retry: it does not use up maxRetries. */
export function retriesAfter(trial: Pick<Trial, 'state' | 'errorCode' | 'retries'>): number {
  return trial.state === 'failed' && trial.errorCode !== null && transientCodes.has(trial.errorCode) ? trial.retries + 1 : trial.retries;
}

/**
 * Trials of a study to run again on resume: for each lineage (linked by `retryOf`) the latest
 * attempt, when the policy says so; in trial-number order.
 */
export function planRetries(trials: readonly Trial[], maxRetries: number): Trial[] {
  const superseded = new Set(trials.map((trial) => trial.retryOf).filter((id) => id !== null));
  return trials
    .filter((trial) => !superseded.has(trial.id) && shouldRetry(trial, maxRetries))
    .sort((a, b) => a.number - b.number);
}
