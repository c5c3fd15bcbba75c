import { describe, expect, it } from 'vitest';
import { trialParamsSchema } from '../api/spec.js';
import type { StudySpec, TrialParams } from '../api/spec.js';
import { designExampleYaml, specWith } from '../../tests/support/specs.js';
import { parseSpecText } from '../space/parseSpec.js';
import { createStrategy } from './createStrategy.js';
import { historyOf } from '../../tests/support/strategyHistory.js';
import type { Strategy } from './strategy.js';

function runAll(strategy: Strategy, limit = 10_000): TrialParams[] {
  const asked: TrialParams[] = [];
  for (let next = strategy.ask([]); next !== null && asked.length < limit; next = strategy.ask(historyOf(asked))) {
    asked.push(next);
  }
  return asked;
}

const specs: [string, StudySpec][] = [
  ['grid (DESIGN.md)', parseSpecText(designExampleYaml)],
  ['random (DESIGN.md)', parseSpecText(designExampleYaml.replace('{ strategy: grid }', '{ strategy: random, trials: 60, seed: 7 }'))],
  ['random with conditional ranges', specWith(
    {
      optimizer: { choice: ['sgd', 'momentum', 'nesterov'] },
      learningRate: { uniform: [0.001, 0.5] },
      batchSize: { intRange: [8, 256] },
      lrSchedule: { choice: ['step', 'cosine', 'inverse-sqrt'] },
      momentum: { uniform: [0.5, 0.99] },
      decaySteps: { uniform: [2, 20] },
    },
    { strategy: 'random', trials: 40 },
  )],
];
const conditionalSpace = specs[2]![1].space;
specs.push(
  ['sobol with conditional ranges', { ...specs[2]![1], space: conditionalSpace, search: { strategy: 'sobol', trials: 40, seed: 3 } }],
  ['tpe with conditional ranges', { ...specs[2]![1], space: conditionalSpace, search: { strategy: 'tpe', trials: 30, seed: 3, startupTrials: 5, candidates: 24, constantLiar: true } }],
);

describe.each(specs)('Strategy contract: %s', (_name, spec) => {
  it('asks exactly plannedTrials valid trials, then null', () => {
    const strategy = createStrategy(spec);
    const asked = runAll(strategy);
    expect(asked).toHaveLength(strategy.plannedTrials);
    expect(strategy.ask(historyOf(asked))).toBeNull();
    for (const params of asked) expect(trialParamsSchema.safeParse(params).success).toBe(true);
  });

  it('answers the same history the same way, even from a fresh instance (resume)', () => {
    const asked = runAll(createStrategy(spec));
    const resumed = createStrategy(spec);
    expect(resumed.ask(historyOf(asked.slice(0, 5)))).toEqual(asked[5]);
    expect(resumed.ask(historyOf(asked.slice(0, 5)))).toEqual(asked[5]);
    expect(resumed.ask(historyOf(asked.slice(0, 1)))).toEqual(asked[1]);
  });

  it('returns params the caller may change without affecting later asks', () => {
    const strategy = createStrategy(spec);
    const first = strategy.ask([]);
    if (!first) throw new Error('expected a first trial');
    first.learningRate = -1;
    expect(strategy.ask([])?.learningRate).toBeGreaterThan(0);
  });

  it('gives conditional params exactly when they apply', () => {
    for (const params of runAll(createStrategy(spec))) {
      expect('momentum' in params).toBe(params.optimizer === 'momentum' || params.optimizer === 'nesterov');
      expect('decayRate' in params).toBe(params.lrSchedule === 'exponential' || params.lrSchedule === 'step');
      expect('decaySteps' in params).toBe(params.lrSchedule === 'exponential' || params.lrSchedule === 'step');
      expect('decay' in params).toBe(params.lrSchedule === 'inverse-time');
      expect('minLrFraction' in params).toBe(params.lrSchedule === 'cosine');
    }
  });
});

describe('createStrategy', () => {
  it('builds the strategy the spec names with its plan', () => {
    const [grid, random] = [specs[0]![1], specs[1]![1]];
    expect(createStrategy(grid)).toMatchObject({ name: 'grid', plannedTrials: 480 });
    expect(createStrategy(random)).toMatchObject({ name: 'random', plannedTrials: 60 });
  });
});
