import { describe, expect, it } from 'vitest';
import { seedStats } from '../api/seedStats.js';
import { makeTrial } from '../../tests/support/trialFixtures.js';

describe('seed statistics per configuration', () => {
  it('gives the mean and the Student-t 95% interval, groups by params whatever their key order, best mean first', () => {
    const a = { optimizer: 'adam', learningRate: 0.01, batchSize: 16, lrSchedule: 'constant' } as const;
    const b = { lrSchedule: 'constant', batchSize: 32, learningRate: 0.1, optimizer: 'sgd' } as const;
    const trials = [
      makeTrial({ number: 0, params: a, value: 1 }),
      makeTrial({ number: 1, params: b, value: 0.5 }),
      makeTrial({ number: 2, params: { ...a }, value: 2 }),
      makeTrial({ number: 3, params: { batchSize: 32, optimizer: 'sgd', learningRate: 0.1, lrSchedule: 'constant' }, value: 0.7 }),
      makeTrial({ number: 4, params: a, value: 3 }),
      makeTrial({ number: 5, params: a, value: null, state: 'failed' }),
      makeTrial({ number: 6, params: { ...a, batchSize: 64 }, value: 0.1 }), // one run: no interval
    ];
    const [first, second, ...rest] = seedStats(trials, 'maximize');
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ trialNumbers: [0, 2, 4], values: [1, 2, 3], mean: 2, sd: 1 });
    const half = 4.303 / Math.sqrt(3); // t(0.975, 2) * sd / sqrt(n)
    expect(first!.interval[0]).toBeCloseTo(2 - half, 9);
    expect(first!.interval[1]).toBeCloseTo(2 + half, 9);
    expect(second!.trialNumbers).toEqual([1, 3]);
    expect(seedStats(trials, 'minimize')[0]!.trialNumbers).toEqual([1, 3]);
  });
});
