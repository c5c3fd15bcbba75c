import type { NumericDomain, StudySpec } from '../api/spec.js';
import type { ErrorIssue } from '../api/errors.js';
import type { ConditionalParam } from './conditional.js';
import { conditionalParams, defaultUnder, parentChoices } from './conditional.js';
import { batchValueCount, rangeOf } from './domains.js';
import { gridSize, gridTooLarge, maxGridTrials } from './grid.js';
import { hiddenOnlyNames, layerOf, modelNumericParams, unitsNames } from './modelParams.js';

/**
 * The checks zod cannot express, run on a spec that already matches the schema: conditional
 * parameters given without any parent that uses them, values outside a parameter's meaningful
 * bounds, batch ranges without a power of two, grid ranges without gridPoints, and grids larger
 * than `maxGridTrials` (sized arithmetically, before anything is expanded). Returns every issue
 * found, each `where` a JSON pointer; empty when the spec is usable.
 */
export function checkSpec(spec: StudySpec): ErrorIssue[] {
  const { space } = spec;
  const issues: ErrorIssue[] = [];
  issues.push(
    ...outOfBounds(space.learningRate, '/space/learningRate', (value) => value > 0, 'the learning rate must be above 0'),
  );
  for (const param of conditionalParams) issues.push(...conditionalIssues(spec, param));
  issues.push(...modelParamIssues(spec));
  if (spec.testSplit !== undefined && spec.validationSplit + spec.testSplit >= 0.95) {
    issues.push({
      where: '/testSplit',
      message: `validationSplit ${spec.validationSplit} + testSplit ${spec.testSplit} leave almost nothing to train on; keep their sum under 0.95`,
    });
  }
  const batch = space.batchSize;
  if (typeof batch !== 'number' && 'intRange' in batch && batch.powersOfTwo && batchValueCount(batch) === 0) {
    issues.push({
      where: '/space/batchSize/intRange',
      message: `[${batch.intRange.join(', ')}] contains no power of two; widen it or set powersOfTwo: false`,
    });
  }
  if (spec.search.strategy !== 'grid') return issues;
  for (const name of ['learningRate', ...conditionalParams.map((param) => param.name), ...modelNumericParams.map((param) => param.name)] as const) {
    const domain = space[name];
    const range = domain === undefined ? null : rangeOf(domain);
    if (range && range.gridPoints === undefined) {
      issues.push({
        where: `/space/${name}`,
        message: `a range needs gridPoints for grid search (for example gridPoints: 4), or use random search`,
      });
    }
  }
  if (issues.length > 0) return issues;
  const size = gridSize(spec);
  if (size > maxGridTrials) issues.push(...gridTooLarge(size).issues);
  return issues;
}

/** Model parameters: within bounds, whole where they count, only on models with hidden layers, unitsK only where layer k can exist. */
function modelParamIssues(spec: StudySpec): ErrorIssue[] {
  const { space, model } = spec;
  const issues: ErrorIssue[] = [];
  for (const param of modelNumericParams) {
    const domain = space[param.name];
    if (domain === undefined) continue;
    const where = `/space/${param.name}`;
    issues.push(...outOfBounds(domain, where, (value) => value >= param.min && value <= param.max, `${param.name} must be in [${param.min}, ${param.max}]`));
    if (param.integer) issues.push(...outOfBounds(domain, where, Number.isInteger, `${param.name} counts ${param.name === 'hiddenLayers' ? 'layers' : 'units'} and must be a whole number`));
  }
  for (const name of hiddenOnlyNames) {
    if (space[name] !== undefined && model.type !== 'mlp' && model.type !== 'cnn') {
      issues.push({ where: `/space/${name}`, message: `${name} shapes hidden layers, which only mlp and cnn models have; /model/type is ${model.type}` });
    }
  }
  const deepest = space.hiddenLayers === undefined ? model.hidden.length : Math.max(...domainBounds(space.hiddenLayers));
  for (const name of unitsNames) {
    if (space[name] === undefined || layerOf(name) <= deepest) continue;
    const why = space.hiddenLayers === undefined ? `/model/hidden has ${model.hidden.length} layer(s) and /space/hiddenLayers is not tuned` : `/space/hiddenLayers never reaches ${layerOf(name)}`;
    issues.push({ where: `/space/${name}`, message: `${name} sets the width of hidden layer ${layerOf(name)}, but ${why}; remove ${name} or allow more layers` });
  }
  return issues;
}

/** Every value a domain names: a fixed value, the choices, or a range's two ends. */
function domainBounds(domain: NumericDomain): number[] {
  if (typeof domain === 'number') return [domain];
  if ('choice' in domain) return domain.choice;
  return 'uniform' in domain ? domain.uniform : domain.logUniform;
}

function conditionalIssues(spec: StudySpec, param: ConditionalParam): ErrorIssue[] {
  const domain = spec.space[param.name];
  if (domain === undefined) return [];
  const where = `/space/${param.name}`;
  if (!parentChoices(spec.space, param.parent).some((value) => defaultUnder(param, value) !== undefined)) {
    return [{ where, message: `${param.meaning}, and /space/${param.parent} chooses none of them; remove ${param.name} or choose one` }];
  }
  const low = param.minExclusive ? `(${param.min}` : `[${param.min}`;
  const bounds = `${param.name} must be in ${low}, ${param.max}]`;
  const inBounds = (value: number) =>
    (param.minExclusive ? value > param.min : value >= param.min) && value <= param.max;
  const issues = outOfBounds(domain, where, inBounds, bounds);
  if (param.integer && (typeof domain === 'number' || 'choice' in domain)) {
    const wholeMessage = `${param.name} counts epochs and must be a whole number`;
    issues.push(...outOfBounds(domain, where, Number.isInteger, wholeMessage));
  }
  return issues;
}

/** One issue per value of `domain` failing `isOk`, pointing at that value (a range at its bound). */
function outOfBounds(
  domain: NumericDomain,
  where: string,
  isOk: (value: number) => boolean,
  message: string,
): ErrorIssue[] {
  if (typeof domain === 'number') return isOk(domain) ? [] : [{ where, message: `${message} (got ${domain})` }];
  if ('choice' in domain) {
    return domain.choice.flatMap((value, index) =>
      isOk(value) ? [] : [{ where: `${where}/choice/${index}`, message: `${message} (got ${value})` }],
    );
  }
  const key = 'uniform' in domain ? 'uniform' : 'logUniform';
  const range = 'uniform' in domain ? domain.uniform : domain.logUniform;
  return range.flatMap((value, index) =>
    isOk(value) ? [] : [{ where: `${where}/${key}/${index}`, message: `${message} (got ${value})` }],
  );
}
