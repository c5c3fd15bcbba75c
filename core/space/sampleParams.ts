import type { RandomGenerator } from 'pure-rand';
import type { StudySpec, TrialParams } from '../api/spec.js';
import { applicableParams, conditionalNames, defaultUnder, parentChoices } from './conditional.js';
import type { ModelParamName } from './modelParams.js';
import { activationChoices, modelNumericParams, modelParamNames, modelParamsFrom, tunes } from './modelParams.js';
import { sampleBatch, sampleChoice, sampleNumeric } from './sample.js';

/** Every dimension of a trial, in a fixed order; its index names a dimension's random stream. */
export const dimensionNames = ['optimizer', 'learningRate', 'batchSize', 'lrSchedule', ...conditionalNames, ...modelParamNames] as const;
export type DimensionName = (typeof dimensionNames)[number];

/**
 * One random trial. Each dimension draws from its own generator (`rngFor(name)`), so a value
 * does not shift when another dimension changes from fixed to sampled, or when a conditional
 * parameter is skipped. Conditional parameters appear exactly when they apply; one absent from
 * the spec takes its default.
 */
export function sampleTrialParams(
  { space }: Pick<StudySpec, 'space'>,
  rngFor: (dimension: DimensionName) => RandomGenerator,
): TrialParams {
  const optimizer = sampleChoice(parentChoices(space, 'optimizer'), rngFor('optimizer'));
  const lrSchedule = sampleChoice(parentChoices(space, 'lrSchedule'), rngFor('lrSchedule'));
  const params: TrialParams = {
    optimizer,
    learningRate: sampleNumeric(space.learningRate, rngFor('learningRate')),
    batchSize: sampleBatch(space.batchSize, rngFor('batchSize')),
    lrSchedule,
  };
  for (const param of applicableParams(optimizer, lrSchedule)) {
    const domain = space[param.name];
    const fallback = defaultUnder(param, param.parent === 'optimizer' ? optimizer : lrSchedule);
    const value = domain === undefined ? fallback : sampleNumeric(domain, rngFor(param.name), { integer: param.integer });
    if (value !== undefined) params[param.name] = value;
  }
  const sampleModelParam = (name: ModelParamName) => {
    if (name === 'activation') return sampleChoice(activationChoices(space), rngFor(name));
    const domain = space[name];
    const integer = modelNumericParams.some((param) => param.name === name && param.integer);
    return domain === undefined ? undefined : sampleNumeric(domain, rngFor(name), { integer });
  };
  return { ...params, ...modelParamsFrom((name) => tunes(space, name), sampleModelParam) };
}
