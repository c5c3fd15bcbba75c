import type { OptimizerName, ScheduleName, SpaceSpec, StudySpec, TrialParams } from '../api/spec.js';
import { TunebenchError } from '../api/errors.js';
import type { ConditionalParam } from './conditional.js';
import { applicableParams, defaultUnder, parentChoices } from './conditional.js';
import { batchValueCount, batchValues, numericGridValues, rangeOf } from './domains.js';
import type { ModelNumericName, ModelParamName } from './modelParams.js';
import { activationChoices, modelNumericParams, modelParamNames, modelParamsFrom, tunes } from './modelParams.js';

/** The largest grid a spec may describe; validation rejects a bigger one before expanding it. */
export const maxGridTrials = 100_000;

type SpaceOf = Pick<StudySpec, 'space'>;

/**
 * The exact number of points `expandGrid` returns, computed as a sum of products without
 * building them (the UI shows it live while a spec is edited). Infinity when a range lacks
 * gridPoints, since a continuous range has no finite grid.
 */
export function gridSize({ space }: SpaceOf): number {
  const learningRates = valueCount(space, 'learningRate');
  const batches = batchValueCount(space.batchSize);
  if (batches === 0) return 0; // an intRange without a power of two: no grid (and no NaN from 0 x Infinity)
  let total = 0;
  for (const optimizer of parentChoices(space, 'optimizer')) {
    for (const schedule of parentChoices(space, 'lrSchedule')) {
      let points = learningRates * batches;
      for (const param of applicableParams(optimizer, schedule)) points *= valueCount(space, param.name, param);
      total += points;
    }
  }
  return total === 0 ? 0 : total * modelGridSize(space);
}

/**
 * Every point of the grid, each point once, in this documented order (outermost first):
 * optimizer, learningRate, batchSize, lrSchedule, then the conditional parameters that apply
 * (momentum, decayRate, decaySteps, decay, minLrFraction), then the model's (see modelGrid). Values of each dimension keep the
 * order written (ranges run low to high); duplicates are removed per dimension, which makes
 * every point distinct. A conditional parameter absent from the spec takes its default.
 * Throws SPEC_INVALID when the grid is infinite or larger than `maxGridTrials`.
 */
export function expandGrid(spec: SpaceOf): TrialParams[] {
  const size = gridSize(spec);
  if (!(size <= maxGridTrials)) throw gridTooLarge(size);
  const { space } = spec;
  const learningRates = numericGridValues(space.learningRate);
  const batches = batchValues(space.batchSize);
  const schedules = parentChoices(space, 'lrSchedule');
  const models = modelGrid(space);
  const points: TrialParams[] = [];
  for (const optimizer of parentChoices(space, 'optimizer')) {
    for (const learningRate of learningRates) {
      for (const batchSize of batches) {
        for (const lrSchedule of schedules) {
          const base: TrialParams = { optimizer, learningRate, batchSize, lrSchedule };
          for (const point of withConditionals(space, base, applicableParams(optimizer, lrSchedule))) {
            for (const model of models) points.push({ ...point, ...model });
          }
        }
      }
    }
  }
  return points;
}

/** The cartesian product of `base` with each applicable parameter's values, in table order. */
function withConditionals(space: SpaceSpec, base: TrialParams, params: readonly ConditionalParam[]): TrialParams[] {
  let partial: TrialParams[] = [base];
  for (const param of params) {
    const values = conditionalValues(space, param, base.optimizer, base.lrSchedule);
    partial = partial.flatMap((point) => values.map((value) => ({ ...point, [param.name]: value })));
  }
  return partial;
}

function conditionalValues(
  space: SpaceSpec,
  param: ConditionalParam,
  optimizer: OptimizerName,
  schedule: ScheduleName,
): number[] {
  const domain = space[param.name];
  if (domain !== undefined) return numericGridValues(domain, { integer: param.integer });
  const fallback = defaultUnder(param, param.parent === 'optimizer' ? optimizer : schedule);
  return fallback === undefined ? [] : [fallback];
}

/**
 * The model part of every grid point, innermost: hiddenLayers, then unitsK for the layers each
 * depth has, activation, dropout and l2; [{}] when the space tunes none of them.
 */
function modelGrid(space: SpaceSpec): Partial<TrialParams>[] {
  const depths: (number | undefined)[] = space.hiddenLayers === undefined ? [undefined] : modelValues(space, 'hiddenLayers');
  return depths.flatMap((depth) => {
    let partial: Partial<TrialParams>[] = [depth === undefined ? {} : { hiddenLayers: depth }];
    const probe = modelParamsFrom((name) => tunes(space, name), (name) => (name === 'hiddenLayers' ? depth : 0));
    for (const name of modelParamNames) {
      if (name === 'hiddenLayers' || !(name in probe)) continue;
      const values = name === 'activation' ? activationChoices(space) : modelValues(space, name);
      partial = partial.flatMap((point) => values.map((value) => ({ ...point, [name]: value })));
    }
    return partial;
  });
}

/** How many points `modelGrid` returns, without building them (Infinity for a range without gridPoints). */
function modelGridSize(space: SpaceSpec): number {
  if (valueCount(space, 'hiddenLayers') === Infinity) return Infinity;
  const depths: (number | undefined)[] = space.hiddenLayers === undefined ? [undefined] : modelValues(space, 'hiddenLayers');
  let total = 0;
  for (const depth of depths) {
    const applying = modelParamsFrom((name) => tunes(space, name), (name) => (name === 'hiddenLayers' ? depth : 0));
    let points = 1;
    for (const name of Object.keys(applying) as ModelParamName[]) {
      if (name === 'activation') points *= activationChoices(space).length;
      else if (name !== 'hiddenLayers') points *= valueCount(space, name);
    }
    total += points;
  }
  return total;
}

function modelValues(space: SpaceSpec, name: ModelNumericName): number[] {
  const domain = space[name];
  const integer = modelNumericParams.some((param) => param.name === name && param.integer);
  return domain === undefined ? [] : numericGridValues(domain, { integer });
}

/** Distinct grid values of a numeric dimension; 1 for a conditional one left at its default. */
function valueCount(space: SpaceSpec, name: 'learningRate' | ConditionalParam['name'] | ModelNumericName, param?: ConditionalParam): number {
  const domain = space[name];
  if (domain === undefined) return 1;
  const range = rangeOf(domain);
  if (range && range.gridPoints === undefined) return Infinity;
  const integer = param?.integer ?? modelNumericParams.some((model) => model.name === name && model.integer);
  // At most 1000 points per dimension (the schema's cap), so building the list is cheap.
  return numericGridValues(domain, { integer }).length;
}

/** The error for a grid over the cap, naming its size. */
export function gridTooLarge(size: number): TunebenchError {
  const shown = Number.isFinite(size) ? size.toLocaleString('en-US') : 'infinitely many';
  const message = `the grid has ${shown} trials, more than the limit of ${maxGridTrials.toLocaleString('en-US')}; use fewer values or random search`;
  return new TunebenchError('SPEC_INVALID', `Invalid spec: /space: ${message}.`, [{ where: '/space', message }]);
}
