import { describe, expect, it } from 'vitest';
import { estimateSweepSeconds, weightCount } from './eta.js';

describe('eta', () => {
  it('counts weights and biases of a dense stack', () => {
    expect(weightCount(4, [16], 3)).toBe(5 * 16 + 17 * 3);
    expect(weightCount(10, [], 1)).toBe(11);
  });

  it('estimates iris-sized sweeps in seconds and divides by busy workers only', () => {
    const base = { trials: 12, epochs: 20, rows: 120, featureCount: 4, outputs: 3, hidden: [16], meanBatchSize: 32, workers: 2 };
    const seconds = estimateSweepSeconds(base);
    // 12 trials * (20 * (3*131*120/1.5e8 + 4*4e-4) + 0.4) / 2
    expect(seconds).toBeCloseTo((12 * (20 * ((3 * 131 * 120) / 1.5e8 + 4 * 4e-4) + 0.4)) / 2, 9);
    expect(estimateSweepSeconds({ ...base, workers: 4 })).toBeCloseTo(seconds / 2, 9);
    expect(estimateSweepSeconds({ ...base, trials: 1, workers: 8 })).toBeCloseTo((seconds * 2) / 12, 9);
  });
});
