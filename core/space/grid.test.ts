import { describe, expect, it } from 'vitest';
import type { SpaceSpec, StudySpecInput, TrialParams } from '../api/spec.js';
import { specWith } from '../../tests/support/specs.js';
import { expandGrid, gridSize, maxGridTrials } from './grid.js';

describe('expandGrid', () => {
  it('orders points optimizer, learningRate, batchSize, lrSchedule (outermost first)', () => {
    const spec = specWith({
      optimizer: { choice: ['sgd', 'adam'] },
      learningRate: { choice: [0.1, 0.01] },
      batchSize: { choice: [16, 32] },
    });
    const points = expandGrid(spec).map((p) => [p.optimizer, p.learningRate, p.batchSize, p.lrSchedule]);
    expect(points).toEqual([
      ['sgd', 0.1, 16, 'constant'],
      ['sgd', 0.1, 32, 'constant'],
      ['sgd', 0.01, 16, 'constant'],
      ['sgd', 0.01, 32, 'constant'],
      ['adam', 0.1, 16, 'constant'],
      ['adam', 0.1, 32, 'constant'],
      ['adam', 0.01, 16, 'constant'],
      ['adam', 0.01, 32, 'constant'],
    ]);
  });

  it('expands momentum only under momentum and nesterov, with its default elsewhere absent', () => {
    const spec = specWith({
      optimizer: { choice: ['sgd', 'momentum', 'nesterov'] },
      learningRate: 0.1,
      batchSize: 32,
      momentum: { choice: [0.5, 0.9] },
    });
    const points = expandGrid(spec);
    expect(points).toEqual([
      { optimizer: 'sgd', learningRate: 0.1, batchSize: 32, lrSchedule: 'constant' },
      { optimizer: 'momentum', learningRate: 0.1, batchSize: 32, lrSchedule: 'constant', momentum: 0.5 },
      { optimizer: 'momentum', learningRate: 0.1, batchSize: 32, lrSchedule: 'constant', momentum: 0.9 },
      { optimizer: 'nesterov', learningRate: 0.1, batchSize: 32, lrSchedule: 'constant', momentum: 0.5 },
      { optimizer: 'nesterov', learningRate: 0.1, batchSize: 32, lrSchedule: 'constant', momentum: 0.9 },
    ]);
  });

  it('gives each schedule exactly its own parameters, defaults when not given', () => {
    const spec = specWith({
      optimizer: 'momentum',
      learningRate: 0.1,
      batchSize: 32,
      lrSchedule: { choice: ['constant', 'exponential', 'step', 'inverse-time', 'inverse-sqrt', 'cosine'] },
      decayRate: { choice: [0.9, 0.5] },
    });
    const extras = expandGrid(spec).map(({ optimizer: _o, learningRate: _l, batchSize: _b, ...rest }) => rest);
    expect(extras).toEqual([
      { lrSchedule: 'constant', momentum: 0.9 },
      { lrSchedule: 'exponential', momentum: 0.9, decayRate: 0.9, decaySteps: 1 },
      { lrSchedule: 'exponential', momentum: 0.9, decayRate: 0.5, decaySteps: 1 },
      { lrSchedule: 'step', momentum: 0.9, decayRate: 0.9, decaySteps: 10 },
      { lrSchedule: 'step', momentum: 0.9, decayRate: 0.5, decaySteps: 10 },
      { lrSchedule: 'inverse-time', momentum: 0.9, decay: 0.1 },
      { lrSchedule: 'inverse-sqrt', momentum: 0.9 },
      { lrSchedule: 'cosine', momentum: 0.9, minLrFraction: 0 },
    ]);
  });

  it('removes duplicate points written twice', () => {
    const spec = specWith({
      optimizer: { choice: ['adam', 'adam'] },
      learningRate: { choice: [0.01, 0.01, 0.1] },
      batchSize: { choice: [32, 32] },
      lrSchedule: { choice: ['constant', 'constant'] },
    });
    const points = expandGrid(spec);
    expect(points).toHaveLength(2);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(2);
  });

  it('throws SPEC_INVALID rather than build a grid over the cap', () => {
    const space: SpaceSpec = {
      optimizer: 'adam',
      learningRate: { uniform: [0.001, 0.1], gridPoints: 1000 },
      batchSize: { intRange: [1, 1000], powersOfTwo: false },
      lrSchedule: 'constant',
    };
    expect(gridSize({ space })).toBe(1_000_000);
    expect(() => expandGrid({ space })).toThrow(/1,000,000 trials/);
  });
});

describe('gridSize', () => {
  const spaces: [string, StudySpecInput['space']][] = [
    ['a fixed point', { optimizer: 'adam', learningRate: 0.01, batchSize: 32 }],
    ['the DESIGN.md space', {
      optimizer: { choice: ['sgd', 'momentum', 'nesterov', 'adam', 'adagrad', 'rmsprop'] },
      learningRate: { logUniform: [0.0001, 0.1], gridPoints: 4 },
      batchSize: { choice: [16, 32, 64, 128] },
      lrSchedule: { choice: ['constant', 'exponential', 'step', 'inverse-time', 'cosine'] },
    }],
    ['conditional ranges', {
      optimizer: { choice: ['sgd', 'momentum', 'adam', 'nesterov'] },
      learningRate: { uniform: [0.01, 0.1], gridPoints: 3 },
      batchSize: { intRange: [8, 64] },
      lrSchedule: { choice: ['exponential', 'cosine', 'step', 'constant'] },
      momentum: { uniform: [0.8, 0.99], gridPoints: 3 },
      decayRate: { logUniform: [0.5, 0.99], gridPoints: 2 },
      decaySteps: { uniform: [1, 3], gridPoints: 5 },
      minLrFraction: { choice: [0, 0.1] },
    }],
    ['duplicates after rounding', {
      optimizer: 'sgd',
      learningRate: { uniform: [1, 1.000001], gridPoints: 50 },
      batchSize: { choice: [4, 4, 8] },
      lrSchedule: 'step',
      decaySteps: { uniform: [1, 2], gridPoints: 9 },
    }],
  ];
  it.each(spaces)('equals the expanded length for %s', (_name, space) => {
    const spec = specWith(space);
    const points: TrialParams[] = expandGrid(spec);
    expect(gridSize(spec)).toBe(points.length);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(points.length);
  });

  it('counts the conditional space as a sum of products', () => {
    const spec = specWith(spaces[2]![1]);
    // lr 3 x batch 4 x [sgd,adam: exp 2*3 + cosine 2 + step 2*3 + constant 1 = 15; momentum, nesterov: 3 x 15]
    expect(gridSize(spec)).toBe(3 * 4 * (2 * 15 + 2 * 3 * 15));
  });

  it('is 0, not NaN, for a batch range without a power of two', () => {
    const space: SpaceSpec = { optimizer: 'adam', learningRate: { uniform: [0.1, 0.2] }, batchSize: { intRange: [33, 60], powersOfTwo: true }, lrSchedule: 'constant' };
    expect(gridSize({ space })).toBe(0);
  });

  it('is infinite for a range without gridPoints (random search specs)', () => {
    const spec = specWith({ optimizer: 'adam', learningRate: { logUniform: [0.001, 0.1] }, batchSize: 32 }, { strategy: 'random', trials: 3 });
    expect(gridSize(spec)).toBe(Infinity);
    expect(maxGridTrials).toBe(100_000);
  });
});
