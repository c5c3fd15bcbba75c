import type { BatchDomain, NumericDomain, SpaceSpec, TrialParams } from '../api/spec.js';
import { applicableParams, conditionalParams, defaultUnder, parentChoices } from './conditional.js';
import { batchValues, rangeOf, roundSignificant } from './domains.js';
import { activationChoices, modelNumericParams, modelParamsFrom } from './modelParams.js';
import type { DimensionName } from './sampleParams.js';
import { dimensionNames } from './sampleParams.js';

/**
 * A search space seen as coordinates, for model-based and quasi-random strategies. A categorical
 * dimension's coordinate is the index of its value; a numeric one's is the value itself, or its
 * log10 on a log scale, so distances and densities live where the scale is even.
 */
export type Dimension =
  | { readonly name: DimensionName; readonly kind: 'categorical'; readonly values: readonly (string | number)[] }
  | { readonly name: DimensionName; readonly kind: 'numeric'; readonly low: number; readonly high: number; readonly isLog: boolean; readonly integer: boolean };

/** Coordinates by dimension name; an absent one is a conditional parameter that does not apply. */
export type Coordinates = Partial<Record<DimensionName, number>>;

/**
 * The dimensions of a space in `dimensionNames` order. Fixed values are one-value categoricals;
 * conditional parameters absent from the spec are no dimension (they take their default).
 */
export function spaceDimensions(space: SpaceSpec): Dimension[] {
  const dimensions: Dimension[] = [
    { name: 'optimizer', kind: 'categorical', values: parentChoices(space, 'optimizer') },
    numericDimension('learningRate', space.learningRate, false),
    batchDimension(space.batchSize),
    { name: 'lrSchedule', kind: 'categorical', values: parentChoices(space, 'lrSchedule') },
  ];
  for (const param of conditionalParams) {
    const domain = space[param.name];
    if (domain !== undefined) dimensions.push(numericDimension(param.name, domain, param.integer));
  }
  for (const param of modelNumericParams) {
    const domain = space[param.name];
    if (domain !== undefined) dimensions.push(numericDimension(param.name, domain, param.integer));
  }
  if (space.activation !== undefined) dimensions.push({ name: 'activation', kind: 'categorical', values: activationChoices(space) });
  return dimensions.sort((a, b) => dimensionNames.indexOf(a.name) - dimensionNames.indexOf(b.name));
}

/** The coordinate range of a numeric dimension ([log10 low, log10 high] on a log scale). */
export function coordinateRange(dimension: Extract<Dimension, { kind: 'numeric' }>): [number, number] {
  return dimension.isLog ? [Math.log10(dimension.low), Math.log10(dimension.high)] : [dimension.low, dimension.high];
}

/** A point of the unit interval mapped evenly onto a dimension's coordinates. */
export function coordinateFromUnit(dimension: Dimension, unit: number): number {
  if (dimension.kind === 'categorical') return Math.min(dimension.values.length - 1, Math.floor(unit * dimension.values.length));
  const [low, high] = coordinateRange(dimension);
  return low + unit * (high - low);
}

/**
 * Trial params from coordinates: values rounded as random search rounds them (6 significant
 * digits, whole numbers where integer) and kept inside their bounds; a conditional parameter
 * appears exactly when it applies, with its default when it is no dimension.
 */
export function paramsFromCoordinates(dimensions: readonly Dimension[], coordinates: Coordinates): TrialParams {
  const valueOf = (name: DimensionName): string | number | undefined => {
    const dimension = dimensions.find((candidate) => candidate.name === name);
    const coordinate = coordinates[name];
    if (!dimension || coordinate === undefined) return undefined;
    if (dimension.kind === 'categorical') return dimension.values[Math.max(0, Math.min(dimension.values.length - 1, Math.round(coordinate)))];
    const raw = dimension.isLog ? 10 ** coordinate : coordinate;
    const rounded = dimension.integer ? Math.round(raw) : roundSignificant(raw);
    return Math.min(dimension.high, Math.max(dimension.low, rounded));
  };
  const params = {
    optimizer: valueOf('optimizer'),
    learningRate: valueOf('learningRate'),
    batchSize: valueOf('batchSize'),
    lrSchedule: valueOf('lrSchedule'),
  } as TrialParams;
  for (const param of applicableParams(params.optimizer, params.lrSchedule)) {
    const value = valueOf(param.name) ?? defaultUnder(param, param.parent === 'optimizer' ? params.optimizer : params.lrSchedule);
    if (typeof value === 'number') params[param.name] = value;
  }
  const isTuned = (name: DimensionName) => dimensions.some((dimension) => dimension.name === name);
  return { ...params, ...modelParamsFrom(isTuned, valueOf) };
}

/**
 * The coordinates of a past trial's params; a value this space cannot hold (the spec changed, or
 * a conditional that does not apply) is left out, and a model treats it as unknown.
 */
export function coordinatesOf(dimensions: readonly Dimension[], params: Readonly<TrialParams>): Coordinates {
  const coordinates: Coordinates = {};
  const record = params as unknown as Readonly<Record<string, string | number | undefined>>;
  for (const dimension of dimensions) {
    const value = record[dimension.name];
    if (value === undefined) continue;
    if (dimension.kind === 'categorical') {
      const index = dimension.values.indexOf(value);
      if (index >= 0) coordinates[dimension.name] = index;
    } else if (typeof value === 'number' && value >= dimension.low && value <= dimension.high && (!dimension.isLog || value > 0)) {
      coordinates[dimension.name] = dimension.isLog ? Math.log10(value) : value;
    }
  }
  return coordinates;
}

function numericDimension(name: DimensionName, domain: NumericDomain, integer: boolean): Dimension {
  if (typeof domain === 'number') return { name, kind: 'categorical', values: [integer ? Math.round(domain) : domain] };
  if ('choice' in domain) return { name, kind: 'categorical', values: [...new Set(domain.choice.map((v) => (integer ? Math.round(v) : v)))] };
  const range = rangeOf(domain);
  if (!range) throw new RangeError('unknown numeric domain');
  return { name, kind: 'numeric', low: range.low, high: range.high, isLog: range.isLog, integer };
}

function batchDimension(domain: BatchDomain): Dimension {
  if (typeof domain === 'number' || 'choice' in domain || domain.powersOfTwo) return { name: 'batchSize', kind: 'categorical', values: batchValues(domain) };
  const [low, high] = domain.intRange;
  return { name: 'batchSize', kind: 'numeric', low, high, isLog: false, integer: true };
}
