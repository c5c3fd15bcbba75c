import type { StudySpec, TrialParams } from '../api/spec.js';
import { spaceDimensions } from '../space/dimensions.js';
import type { LrFindJob } from '../training/protocol.js';
import { trialSeed } from './objective.js';

export interface LrFindOptions {
  minLr: number;
  maxLr: number;
  steps: number;
}

/**
 * The range test's one run: the space's first optimizer and batch size (each fixed value or
 * first choice; the rate is the test's and the schedule constant), on the spec's data, model,
 * split and seed, so its suggestion applies to the sweep that spec will run.
 */
export function lrFindJob(spec: StudySpec, fingerprint: string, baseDir: string, options: LrFindOptions): LrFindJob {
  const first = (name: string) => {
    const dimension = spaceDimensions(spec.space).find((d) => d.name === name);
    if (!dimension) return undefined;
    return dimension.kind === 'categorical' ? dimension.values[0] : dimension.low;
  };
  const params = { optimizer: first('optimizer'), learningRate: options.minLr, batchSize: first('batchSize'), lrSchedule: 'constant' } as TrialParams;
  for (const name of ['momentum', 'decay'] as const) {
    const value = first(name);
    if (typeof value === 'number') params[name] = value;
  }
  return {
    job: {
      trialId: 0, number: 0, params, seed: spec.trialSeed ?? trialSeed(spec.seed, 0),
      dataset: spec.dataset, baseDir, datasetFingerprint: fingerprint, model: spec.model,
      epochs: 1, validationSplit: spec.validationSplit, ...(spec.testSplit === undefined ? {} : { testSplit: spec.testSplit }), splitSeed: spec.seed,
    },
    ...options,
  };
}
