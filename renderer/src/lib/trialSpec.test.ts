import { describe, expect, it } from 'vitest';
import { studySpecSchema } from '../../../core/api/spec.js';
import { trialExport, trialSpec } from './trialSpec.js';
import { makeTrial as sampleTrial } from '../../../tests/support/trialFixtures.js';

const sampleStudy = () => ({
  id: 1,
  name: 'iris-grid',
  objective: { metric: 'val_accuracy' as const, direction: 'maximize' as const },
  spec: studySpecSchema.parse({ dataset: 'builtin:iris', epochs: 7, space: { optimizer: { choice: ['sgd', 'adam'] }, learningRate: 0.01, batchSize: 16 } }),
});

describe('trialSpec', () => {
  it('fixes every parameter to the trial and is a valid one-trial spec', () => {
    const study = sampleStudy();
    const trial = sampleTrial({ number: 4, params: { optimizer: 'momentum', learningRate: 0.02, batchSize: 64, lrSchedule: 'step', momentum: 0.9, decayRate: 0.5 } });
    const spec = trialSpec(study, trial);
    expect(spec.space).toEqual(trial.params);
    expect(spec.search).toEqual({ strategy: 'grid' });
    expect(spec.name).toBe(`${study.name}-trial-4`);
    expect(spec.epochs).toBe(study.spec.epochs);
    expect(studySpecSchema.safeParse(spec).success).toBe(true);
  });

  it('exports the trial with its best epoch counted from 1', () => {
    const trial = sampleTrial({ number: 2, bestEpoch: 0 });
    const exported = trialExport(sampleStudy(), trial);
    expect(exported.fileName).toMatch(/-trial-2\.json$/);
    expect(JSON.parse(exported.text).trial.bestEpoch).toBe(1);
  });
});
