import { describe, expect, it } from 'vitest';
import type { StudySpecInput, TrialParams } from '../api/spec.js';
import { specWith } from '../../tests/support/specs.js';
import { RandomStrategy } from './randomStrategy.js';
import { historyOf } from '../../tests/support/strategyHistory.js';

const space: StudySpecInput['space'] = {
  optimizer: { choice: ['sgd', 'momentum', 'nesterov', 'adam', 'adagrad', 'rmsprop'] },
  learningRate: { logUniform: [0.0001, 0.1] },
  batchSize: { choice: [16, 32, 64, 128] },
  lrSchedule: { choice: ['constant', 'exponential', 'step', 'inverse-time', 'cosine'] },
  momentum: { uniform: [0.8, 0.99] },
};

function run(trials: number, seed?: number, studySeed = 42): TrialParams[] {
  const spec = { ...specWith(space, { strategy: 'random', trials, seed }), seed: studySeed };
  const strategy = new RandomStrategy({ ...spec, search: { strategy: 'random', trials, seed } });
  const asked: TrialParams[] = [];
  for (let k = 0; k < trials; k += 1) {
    const params = strategy.ask(historyOf(asked));
    if (params) asked.push(params);
  }
  return asked;
}

describe('RandomStrategy', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(run(30, 7)).toEqual(run(30, 7));
  });

  it('pins the sequence so another machine or version gives the same trials', () => {
    expect(run(3, 7)).toEqual([
      { optimizer: 'adagrad', learningRate: 0.00839852, batchSize: 32, lrSchedule: 'step', decayRate: 0.5, decaySteps: 10 },
      { optimizer: 'adam', learningRate: 0.000457653, batchSize: 16, lrSchedule: 'cosine', minLrFraction: 0 },
      { optimizer: 'adam', learningRate: 0.0031805, batchSize: 128, lrSchedule: 'step', decayRate: 0.5, decaySteps: 10 },
    ]);
  });

  it('differs for a different seed', () => {
    const [a, b] = [run(20, 7), run(20, 8)];
    expect(a.filter((params, k) => JSON.stringify(params) === JSON.stringify(b[k])).length).toBeLessThan(2);
  });

  it('uses the study seed when search.seed is absent, and search.seed over it', () => {
    expect(run(10, undefined, 7)).toEqual(run(10, 7, 99));
    expect(run(10, undefined, 7)).not.toEqual(run(10, undefined, 8));
  });

  it('keeps trial k fixed whatever the budget: a longer run extends a shorter one', () => {
    expect(run(40, 3).slice(0, 10)).toEqual(run(10, 3));
  });

  it('asks for trial 5 after a resume exactly what a fresh run asked sixth', () => {
    const fresh = run(12, 7);
    const spec = specWith(space, { strategy: 'random', trials: 12, seed: 7 });
    const resumed = new RandomStrategy({ ...spec, search: { strategy: 'random', trials: 12, seed: 7 } });
    expect(resumed.ask(historyOf(fresh.slice(0, 5)))).toEqual(fresh[5]);
  });

  it('keeps every value inside its domain and spreads learning rates over decades', () => {
    const asked = run(400, 11);
    const decades = new Map<number, number>();
    for (const params of asked) {
      expect(params.learningRate).toBeGreaterThanOrEqual(0.0001);
      expect(params.learningRate).toBeLessThanOrEqual(0.1);
      expect([16, 32, 64, 128]).toContain(params.batchSize);
      if (params.momentum !== undefined) {
        expect(params.momentum).toBeGreaterThanOrEqual(0.8);
        expect(params.momentum).toBeLessThanOrEqual(0.99);
      }
      const decade = Math.floor(Math.log10(params.learningRate));
      decades.set(decade, (decades.get(decade) ?? 0) + 1);
    }
    // [1e-4, 0.1] spans three decades; log-uniform puts about a third (133) in each.
    expect([...decades.keys()].sort()).toEqual([-2, -3, -4]);
    for (const count of decades.values()) expect(count).toBeGreaterThan(90);
    expect(new Set(asked.map((params) => params.optimizer)).size).toBe(6);
    expect(new Set(asked.map((params) => params.lrSchedule)).size).toBe(5);
  });
});
