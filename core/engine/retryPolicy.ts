import type { Trial } from '../api/domain.js';

/** Failure texts the engine writes; retry decisions and the UI read them back. */
export const failureText = {
  stale: 'stale',
  cancelled: 'cancelled',
  timeout: 'timeout',
  heartbeatLost: 'heartbeat lost',
  /** Its result could not be written (disk full, I/O error): it runs again on resume. */
  notStored: 'not stored',
} as const;

/**
 * Whether a failed trial's parameters run again as a new trial. Policy (shared/RELIABILITY.md):
 * crashes and lost heartbeats are retried up to maxRetries; a trial that was stale after an app
 * crash, cancelled by the user or not stored (disk full) always runs again on resume; diverged trials, errors in the
 * training code and timeouts never do.
 */
export function shouldRetry(trial: Pick<Trial, 'state' | 'error' | 'retries'>, maxRetries: number): boolean {
  if (trial.state !== 'failed' || trial.error === null) return false;
  if (trial.error === failureText.stale || trial.error === failureText.cancelled || trial.error === failureText.notStored) return true;
  const transient = trial.error.startsWith('crashed') || trial.error === failureText.heartbeatLost;
  return transient && trial.retries < maxRetries;
}

/**
 * Trials of a study to run again on resume: for each lineage (trials sharing a seed are re-runs
 * of one asked trial) the latest attempt, when the policy says so; in trial-number order.
 */
export function planRetries(trials: readonly Trial[], maxRetries: number): Trial[] {
  const latest = new Map<number, Trial>();
  for (const trial of trials) {
    const seen = latest.get(trial.seed);
    if (!seen || seen.number < trial.number) latest.set(trial.seed, trial);
  }
  return [...latest.values()]
    .filter((trial) => shouldRetry(trial, maxRetries))
    .sort((a, b) => a.number - b.number);
}
