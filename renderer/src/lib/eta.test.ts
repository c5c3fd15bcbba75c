import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../../core/api/contract.js';
import { estimateSweepSeconds, etaFromHistory, trialsStartedWithin, workerStartSeconds } from './eta.js';

const iris = { trials: 4, epochs: 200, rows: 150, trainRows: 120, featureCount: 4, hidden: [16], batchSizes: [16], workers: 2 };

describe('estimateSweepSeconds', () => {
  it('brackets what the e2e iris sweep really takes (4 trials x 200 epochs, 2 workers: 10-25 s)', () => {
    const { low, high } = estimateSweepSeconds({ ...iris, cores: 2 });
    expect(low).toBeGreaterThan(5);
    expect(low).toBeLessThan(10);
    expect(high).toBeGreaterThan(14);
    expect(high).toBeLessThan(25);
  });

  it('never promises less than the workers take to start, however tiny the study', () => {
    const tiny = estimateSweepSeconds({ ...iris, trials: 2, epochs: 5, rows: 80, trainRows: 64, featureCount: 6, hidden: [16], batchSizes: [8, 16] });
    expect(tiny.low).toBeGreaterThan(workerStartSeconds);
    expect(tiny.high).toBeGreaterThan(tiny.low);
  });

  it('scales with batches per epoch and with rows x (features + hidden units)', () => {
    const base = estimateSweepSeconds({ ...iris, trials: 1, workers: 1 }).low - workerStartSeconds;
    const smallBatches = estimateSweepSeconds({ ...iris, trials: 1, workers: 1, batchSizes: [4] }).low - workerStartSeconds;
    expect(smallBatches).toBeGreaterThan(base * 2);
    const mnist = estimateSweepSeconds({ ...iris, trials: 1, workers: 1, epochs: 1, rows: 10_000, trainRows: 8000, featureCount: 784, hidden: [64], batchSizes: [64] });
    // Measured: ~0.6 s an epoch with tfjs-wasm.
    expect(mnist.low - workerStartSeconds).toBeLessThan(0.9);
    expect(mnist.high - workerStartSeconds).toBeGreaterThan(0.9);
  });

  it('divides by busy workers, and by cores at the pessimistic end', () => {
    const two = estimateSweepSeconds({ ...iris, trials: 40, workers: 2 });
    const four = estimateSweepSeconds({ ...iris, trials: 40, workers: 4 });
    expect(four.low).toBeLessThan(two.low * 0.6);
    const capped = estimateSweepSeconds({ ...iris, trials: 40, workers: 4, cores: 2 });
    expect(capped.high).toBeGreaterThan(four.high * 1.8);
    expect(estimateSweepSeconds({ ...iris, trials: 0 })).toEqual({ low: 0, high: 0 });
  });
});

describe('trialsStartedWithin', () => {
  it('agrees with the sweep estimate: its whole time starts every trial, the time of fewer starts fewer', () => {
    const input = { ...iris, trials: 40, cores: 2 };
    const { low, high } = estimateSweepSeconds(input);
    expect(trialsStartedWithin(input, high).low).toBe(40);
    expect(trialsStartedWithin(input, low).high).toBe(40);
    const half = trialsStartedWithin(input, high / 2);
    expect(half.low).toBeGreaterThan(10);
    expect(half.low).toBeLessThan(40);
    expect(half.high).toBeGreaterThanOrEqual(half.low);
    expect(trialsStartedWithin(input, 10 * high)).toEqual({ low: 40, high: 40 });
  });

  it('starts each lane\'s first trial however short the budget: it is asked before the worker starts', () => {
    expect(trialsStartedWithin({ ...iris, trials: 40, workers: 2 }, workerStartSeconds / 2)).toEqual({ low: 2, high: 2 });
    expect(trialsStartedWithin({ ...iris, trials: 1, workers: 2 }, 0.01)).toEqual({ low: 1, high: 1 });
  });
});

describe('etaFromHistory', () => {
  const point = (number: number, state: HistoryPoint['state'], durationMs: number | null): HistoryPoint => ({
    number, trialId: number + 1, value: state === 'complete' ? 0.5 : null, best: null, state, optimizer: 'adam',
    learningRate: 0.01, batchSize: 16, lrSchedule: 'constant', durationMs,
  });

  it('uses the mean duration of finished trials, divided by workers', () => {
    const points = [point(0, 'complete', 4000), point(1, 'complete', 2000), point(2, 'running', null), point(3, 'failed', 10)];
    expect(etaFromHistory(points, 6, 2)).toBe(9);
    expect(etaFromHistory(points, 0, 2)).toBe(0);
    expect(etaFromHistory([point(0, 'running', null)], 3, 1)).toBeNull();
  });
});
