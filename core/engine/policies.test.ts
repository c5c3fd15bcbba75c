import { describe, expect, it } from 'vitest';
import type { Trial, TrialFailureCode } from '../api/domain.js';
import type { HistoryRow } from '../store/store.js';
import { etaSeconds, historyOf } from './history.js';
import { objectiveOf, trialSeed } from './objective.js';
import { planRetries, retriesAfter, shouldRetry } from './retryPolicy.js';

const point = (epoch: number, value: number, name = 'val_loss') => ({ trialId: 1, epoch, name, value });

describe('objectiveOf', () => {
  it('takes the best epoch in the objective direction', () => {
    const points = [point(0, 0.9), point(1, 0.4), point(2, 0.6), point(1, 0.1, 'loss')];
    expect(objectiveOf(points, 'val_loss', 'minimize')).toEqual({ value: 0.4, bestEpoch: 1 });
    expect(objectiveOf(points, 'val_loss', 'maximize')).toEqual({ value: 0.9, bestEpoch: 0 });
  });

  it('is null when the metric is missing or any value is not finite (stricter than Optuna)', () => {
    expect(objectiveOf([point(0, 1, 'loss')], 'val_loss', 'minimize')).toEqual({ value: null, bestEpoch: null });
    expect(objectiveOf([point(0, 0.5), point(1, Number.POSITIVE_INFINITY)], 'val_loss', 'minimize').value).toBeNull();
    expect(objectiveOf([point(0, Number.NaN)], 'val_loss', 'maximize').value).toBeNull();
  });
});

describe('trialSeed', () => {
  it('is a pure function of the study seed and trial number, distinct across trials', () => {
    expect(trialSeed(42, 3)).toBe(trialSeed(42, 3));
    const seeds = new Set(Array.from({ length: 1000 }, (_, n) => trialSeed(42, n)));
    expect(seeds.size).toBe(1000);
    expect(trialSeed(43, 3)).not.toBe(trialSeed(42, 3));
    expect(trialSeed(7, 0)).toBeGreaterThanOrEqual(0);
  });
});

describe('historyOf and etaSeconds', () => {
  const row = (number: number, state: HistoryRow['state'], value: number | null): HistoryRow => ({
    trialId: number + 10,
    epochsRun: 2,
    number,
    state,
    value,
    durationMs: 100,
    params: { optimizer: 'adam', learningRate: 0.01, batchSize: 16, lrSchedule: 'constant' },
  });

  it('carries the best so far, counting only complete trials', () => {
    const rows = [row(0, 'complete', 0.5), row(1, 'failed', 0.1), row(2, 'complete', 0.7), row(3, 'complete', 0.3)];
    expect(historyOf(rows, 'minimize').map((p) => [p.value, p.best])).toEqual([[0.5, 0.5], [null, 0.5], [0.7, 0.5], [0.3, 0.3]]);
    expect(historyOf(rows, 'maximize').map((p) => p.best)).toEqual([0.5, 0.5, 0.7, 0.7]);
  });

  it('marks a pruned trial with its last value and the epoch it stopped at, never as a value or the best', () => {
    const points = historyOf([row(0, 'complete', 0.5), row(1, 'pruned', 0.2)], 'minimize');
    expect(points[1]).toMatchObject({ value: null, best: 0.5, pruned: { value: 0.2, epoch: 2 } });
    expect(points[0]).not.toHaveProperty('pruned');
  });

  it('estimates the time left from finished trials and the worker count', () => {
    expect(etaSeconds([], 5, 2)).toBeNull();
    expect(etaSeconds([2000, 4000], 6, 2)).toBe(9);
    expect(etaSeconds([2000], 0, 1)).toBe(0);
  });
});

describe('retry policy', () => {
  const failed = (errorCode: TrialFailureCode, retries = 0) => ({ state: 'failed' as const, errorCode, retries });

  it('retries crashes and lost heartbeats up to the limit, never diverged, errors, timeouts or OOM', () => {
    expect(shouldRetry(failed('TRIAL_CRASHED'), 1)).toBe(true);
    expect(shouldRetry(failed('TRIAL_CRASHED', 1), 1)).toBe(false);
    expect(shouldRetry(failed('HEARTBEAT_LOST'), 2)).toBe(true);
    expect(shouldRetry(failed('TRIAL_DIVERGED'), 5)).toBe(false);
    expect(shouldRetry(failed('TRIAL_TIMEOUT'), 5)).toBe(false);
    expect(shouldRetry(failed('TRIAL_OOM'), 5)).toBe(false);
    expect(shouldRetry(failed('STALE', 9), 0)).toBe(true);
    expect(shouldRetry({ state: 'cancelled', errorCode: 'TRIAL_CANCELLED', retries: 9 }, 0)).toBe(true);
    expect(shouldRetry({ state: 'complete', errorCode: null, retries: 0 }, 5)).toBe(false);
  });

  it('reads the code, not the message: a message that looks like a crash is not retried', () => {
    expect(shouldRetry({ state: 'failed', errorCode: 'TRIAL_ERROR', retries: 0, error: 'crashed(SIGKILL)' } as Trial, 5)).toBe(false);
  });

  it('counts a retry only after a crash or lost heartbeat; re-runs of stale and cancelled ones are free', () => {
    expect(retriesAfter(failed('TRIAL_CRASHED', 1))).toBe(2);
    expect(retriesAfter(failed('STALE', 1))).toBe(1);
    expect(retriesAfter({ state: 'cancelled', errorCode: 'TRIAL_CANCELLED', retries: 0 })).toBe(0);
  });

  it('re-runs a trial that met a changed dataset, without using up a retry', () => {
    expect(shouldRetry(failed('DATASET_CHANGED', 9), 0)).toBe(true);
    expect(retriesAfter(failed('DATASET_CHANGED', 1))).toBe(1);
  });

  it('plans one re-run per lineage (retryOf), from its latest attempt, in number order', () => {
    const trial = (number: number, state: Trial['state'], errorCode: TrialFailureCode | null, retryOf: number | null = null, retries = 0) =>
      ({ id: number + 100, number, seed: 7, state, errorCode, retryOf, retries }) as Trial;
    const trials = [
      trial(0, 'failed', 'TRIAL_CRASHED'),
      trial(1, 'failed', 'STALE'),
      trial(2, 'failed', 'TRIAL_CRASHED', 100, 1),
      trial(3, 'complete', null),
      trial(4, 'cancelled', 'TRIAL_CANCELLED'),
    ];
    expect(planRetries(trials, 1).map((t) => t.number)).toEqual([1, 4]);
    expect(planRetries(trials, 2).map((t) => t.number)).toEqual([1, 2, 4]);
  });
});
