import { describe, expect, it } from 'vitest';
import { specWith } from '../../tests/support/specs.js';
import type { TrialParams } from '../api/spec.js';
import { sobolParams } from '../strategies/sobolStrategy.js';
import { spaceDimensions } from '../space/dimensions.js';
import { pedAnova } from './pedAnova.js';

const spec = specWith({
  optimizer: { choice: ['sgd', 'adam', 'rmsprop'] },
  learningRate: { logUniform: [0.0001, 1] },
  batchSize: { choice: [16, 32, 64] },
  lrSchedule: { choice: ['constant', 'cosine'] },
}, { strategy: 'sobol', trials: 200 });
const trials = (objective: (p: TrialParams) => number) =>
  Array.from({ length: 200 }, (_, k) => sobolParams(spaceDimensions(spec.space), k, 1)).map((params) => ({ params, value: objective(params) }));

describe('pedAnova', () => {
  it('ranks the parameter that decides the objective first, and ignores the ones that do not', () => {
    const ranked = pedAnova(spec.space, trials((p) => (Math.log10(p.learningRate) + 2) ** 2), 'minimize');
    expect(ranked[0]!.name).toBe('learningRate');
    expect(ranked[0]!.importance).toBeGreaterThan(0.7);
    expect(ranked.reduce((sum, entry) => sum + entry.importance, 0)).toBeCloseTo(1, 10);
  });

  it('finds a categorical that matters, in either direction', () => {
    const ranked = pedAnova(spec.space, trials((p) => (p.optimizer === 'adam' ? 1 : 0) + p.learningRate / 100), 'maximize');
    expect(ranked[0]!.name).toBe('optimizer');
    expect(ranked.find((entry) => entry.name === 'batchSize')!.importance).toBeLessThan(0.2);
  });
});
