import { describe, expect, it } from 'vitest';
import { specWith } from '../../tests/support/specs.js';
import { historyOf } from '../../tests/support/strategyHistory.js';
import type { TrialParams } from '../api/spec.js';
import { nextDouble } from '../space/sample.js';
import { sobolPoint } from './sobol.js';
import { SobolStrategy } from './sobolStrategy.js';
import { trialRng } from './trialRng.js';

/** Hickernell's centred L2 discrepancy of points in [0,1]^d: lower is more even. */
function centredDiscrepancy(points: number[][]): number {
  const n = points.length;
  const d = points[0]!.length;
  let single = 0;
  let pairs = 0;
  for (const x of points) single += x.reduce((product, v) => product * (1 + 0.5 * Math.abs(v - 0.5) - 0.5 * (v - 0.5) ** 2), 1);
  for (const x of points) {
    for (const y of points) {
      pairs += x.reduce((product, v, k) => product * (1 + 0.5 * Math.abs(v - 0.5) + 0.5 * Math.abs(y[k]! - 0.5) - 0.5 * Math.abs(v - y[k]!)), 1);
    }
  }
  return Math.sqrt((13 / 12) ** d - (2 / n) * single + pairs / n ** 2);
}

describe('sobolPoint', () => {
  it('spreads points more evenly than random draws, for every seed (centred L2 discrepancy)', () => {
    for (const dimensions of [2, 5, 9]) {
      const ratios: number[] = [];
      for (let seed = 0; seed < 20; seed += 1) {
        const sobol = Array.from({ length: 128 }, (_, i) => sobolPoint(i, dimensions, seed));
        const random = Array.from({ length: 128 }, (_, i) => Array.from({ length: dimensions }, (_, k) => nextDouble(trialRng(seed, i, k))));
        ratios.push(centredDiscrepancy(sobol) / centredDiscrepancy(random));
      }
      expect(Math.max(...ratios), `${dimensions} dimensions`).toBeLessThan(1);
      expect(ratios.reduce((a, b) => a + b) / ratios.length).toBeLessThan(0.6);
    }
  });

  it('puts exactly one of the first 2^m points in each 1/2^m slice of every coordinate', () => {
    for (let dimension = 0; dimension < 21; dimension += 1) {
      const slices = new Set(Array.from({ length: 64 }, (_, i) => Math.floor(sobolPoint(i, 21, 9)[dimension]! * 64)));
      expect(slices.size, `dimension ${dimension}`).toBe(64);
    }
  });

  it('depends only on (index, seed): different seeds scramble differently', () => {
    expect(sobolPoint(5, 3, 1)).toEqual(sobolPoint(5, 3, 1));
    expect(sobolPoint(5, 3, 1)).not.toEqual(sobolPoint(5, 3, 2));
    for (const value of sobolPoint(1000, 21, 4)) expect(value >= 0 && value < 1).toBe(true);
  });
});

describe('SobolStrategy', () => {
  const spec = specWith(
    {
      optimizer: { choice: ['sgd', 'adam', 'rmsprop', 'adagrad'] },
      learningRate: { logUniform: [0.0001, 0.1] },
      batchSize: { choice: [16, 32] },
      lrSchedule: 'constant',
    },
    { strategy: 'sobol', trials: 64, seed: 5 },
  );

  function runAll(): TrialParams[] {
    const strategy = new SobolStrategy({ ...spec, search: { strategy: 'sobol', trials: 64, seed: 5 } });
    const asked: TrialParams[] = [];
    for (let next = strategy.ask([]); next; next = strategy.ask(historyOf(asked))) asked.push(next);
    return asked;
  }

  it('maps choices evenly and log scales evenly in log space', () => {
    const asked = runAll();
    expect(asked).toHaveLength(64);
    for (const optimizer of ['sgd', 'adam', 'rmsprop', 'adagrad']) expect(asked.filter((p) => p.optimizer === optimizer)).toHaveLength(16);
    expect(asked.filter((p) => p.batchSize === 16)).toHaveLength(32);
    const decades = [-4, -3, -2].map((decade) => asked.filter((p) => Math.floor(Math.log10(p.learningRate)) === decade).length);
    for (const count of decades) expect(Math.abs(count - 64 / 3)).toBeLessThanOrEqual(1);
  });

  it('is deterministic for a seed', () => {
    expect(runAll()).toEqual(runAll());
  });
});
