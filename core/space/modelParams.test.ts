import { describe, expect, it } from 'vitest';
import type { StudySpec, StudySpecInput, TrialParams } from '../api/spec.js';
import { trialParamsSchema } from '../api/spec.js';
import { specWith } from '../../tests/support/specs.js';
import { createStrategy } from '../strategies/createStrategy.js';
import type { TrialSnapshot } from '../strategies/strategy.js';
import { expandGrid, gridSize } from './grid.js';
import { trialModel } from './modelParams.js';

const base = { optimizer: 'adam', learningRate: 0.01, batchSize: 16 } as const;

/** A depth of 1..3 with one width per layer: unitsK only in trials with at least k layers. */
const modelSpace: StudySpecInput['space'] = {
  ...base,
  hiddenLayers: { choice: [1, 2, 3] },
  units1: { choice: [8, 32] },
  units2: { logUniform: [4, 64], gridPoints: 3 },
  units3: 4,
  activation: { choice: ['relu', 'tanh'] },
  dropout: { choice: [0, 0.3] },
  l2: { logUniform: [0.0001, 0.01], gridPoints: 2 },
};

function expectApplicable(params: TrialParams): void {
  expect(trialParamsSchema.safeParse(params).success).toBe(true);
  const depth = params.hiddenLayers ?? 0;
  expect([1, 2, 3]).toContain(depth);
  expect('units1' in params).toBe(true);
  expect('units2' in params).toBe(depth >= 2);
  expect('units3' in params).toBe(depth >= 3);
  expect(Number.isInteger(params.units2 ?? 4)).toBe(true);
  expect(params.units2 ?? 4).toBeGreaterThanOrEqual(4);
  expect(params.units2 ?? 64).toBeLessThanOrEqual(64);
  expect(['relu', 'tanh']).toContain(params.activation);
  expect(params.l2).toBeGreaterThanOrEqual(0.0001);
  expect(params.l2).toBeLessThanOrEqual(0.01);
}

describe('model params in the grid', () => {
  it('expands widths only for the layers each depth has, and sizes the grid without building it', () => {
    const spec = specWith(modelSpace);
    const points = expandGrid(spec);
    // depth 1: 2 widths; depth 2: 2 x 3; depth 3: 2 x 3 x 1; each x 2 activations x 2 dropouts x 2 l2.
    expect(points).toHaveLength((2 + 6 + 6) * 8);
    expect(gridSize(spec)).toBe(points.length);
    expect(new Set(points.map((point) => JSON.stringify(point))).size).toBe(points.length);
    for (const point of points) expectApplicable(point);
    expect(points.filter((point) => point.hiddenLayers === 2).map((point) => point.units2)).toEqual(expect.arrayContaining([4, 16, 64]));
    expect(points[0]).toEqual({ ...base, lrSchedule: 'constant', hiddenLayers: 1, units1: 8, activation: 'relu', dropout: 0, l2: 0.0001 });
  });

  it('leaves the grid as it was when the space tunes no model param', () => {
    expect(expandGrid(specWith({ ...base, learningRate: { choice: [0.1, 0.01] } }))).toEqual([
      { ...base, learningRate: 0.1, lrSchedule: 'constant' },
      { ...base, learningRate: 0.01, lrSchedule: 'constant' },
    ]);
  });
});

describe.each(['random', 'sobol', 'tpe'] as const)('model params sampled by %s', (strategy) => {
  const search = strategy === 'tpe' ? { strategy, trials: 40, seed: 5, startupTrials: 8 } : { strategy, trials: 40, seed: 5 };
  const spec: StudySpec = specWith({ ...modelSpace, units2: { logUniform: [4, 64] }, l2: { logUniform: [0.0001, 0.01] } }, search);

  it('gives every model param in bounds, unitsK exactly when the trial has k layers, deterministically', () => {
    const ask = () => {
      const strategy = createStrategy(spec);
      const history: TrialSnapshot[] = [];
      for (let next = strategy.ask(history); next; next = strategy.ask(history)) {
        // A value that favours wide second layers, so TPE's model part is exercised.
        history.push({ number: history.length, params: next, state: 'complete', value: 1 / (1 + (next.units2 ?? 0)) });
      }
      return history.map((trial) => trial.params);
    };
    const asked = ask();
    expect(asked).toHaveLength(40);
    for (const params of asked) expectApplicable(params);
    expect(new Set(asked.map((params) => params.hiddenLayers))).toEqual(new Set([1, 2, 3]));
    expect(new Set(asked.map((params) => params.activation))).toEqual(new Set(['relu', 'tanh']));
    expect(ask()).toEqual(asked);
  });
});

describe('trialModel', () => {
  const model = { type: 'mlp' as const, hidden: [16, 8], activation: 'relu' as const, dropout: 0 };
  it('takes the trial values and the model spec for the rest', () => {
    expect(trialModel(model, { ...base, lrSchedule: 'constant' })).toEqual(model);
    expect(trialModel(model, { ...base, lrSchedule: 'constant', hiddenLayers: 3, units1: 32, activation: 'tanh', dropout: 0.2, l2: 0.001 }))
      .toEqual({ type: 'mlp', hidden: [32, 8, 8], activation: 'tanh', dropout: 0.2, l2: 0.001 });
    expect(trialModel(model, { ...base, lrSchedule: 'constant', hiddenLayers: 0 }).hidden).toEqual([]);
  });
});
