import type { ActivationName, ModelSpec, SpaceSpec, TrialParams } from '../api/spec.js';

/** The most hidden layers `space.hiddenLayers` may ask for (one unitsK per layer). */
export const maxTunedLayers = 4;
export const unitsNames = ['units1', 'units2', 'units3', 'units4'] as const;
export type UnitsName = (typeof unitsNames)[number];

/** The model's tunable parameters, in grid and dimension order (after the training ones). */
export const modelParamNames = ['hiddenLayers', ...unitsNames, 'activation', 'dropout', 'l2'] as const;
export type ModelParamName = (typeof modelParamNames)[number];
export type ModelNumericName = Exclude<ModelParamName, 'activation'>;

/** Bounds of the numeric model parameters, checked by checkSpec and used by the samplers. */
export interface ModelNumericParam {
  readonly name: ModelNumericName;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
}
export const modelNumericParams: readonly ModelNumericParam[] = [
  { name: 'hiddenLayers', min: 0, max: maxTunedLayers, integer: true },
  ...unitsNames.map((name) => ({ name, min: 1, max: 4096, integer: true })),
  { name: 'dropout', min: 0, max: 0.9, integer: false },
  { name: 'l2', min: 0, max: 10, integer: false },
];

/** Parameters that shape hidden layers, so only mlp and cnn models have them. */
export const hiddenOnlyNames: readonly ModelParamName[] = ['hiddenLayers', ...unitsNames, 'activation', 'dropout'];

/** The 1-based hidden layer whose width unitsK sets. */
export function layerOf(name: UnitsName): number {
  return unitsNames.indexOf(name) + 1;
}

/**
 * A trial's model params in order, asking `valueOf` only for those the space tunes (`isTuned`)
 * and that apply: unitsK only when the trial has at least k hidden layers. Without a tuned
 * hiddenLayers the depth is the model's own, and checkSpec keeps every unitsK within it.
 */
export function modelParamsFrom(
  isTuned: (name: ModelParamName) => boolean,
  valueOf: (name: ModelParamName) => string | number | undefined,
): Partial<TrialParams> {
  const params: Record<string, string | number> = {};
  const take = (name: ModelParamName) => {
    const value = isTuned(name) ? valueOf(name) : undefined;
    if (value !== undefined) params[name] = value;
    return value;
  };
  const depth = take('hiddenLayers');
  for (const name of unitsNames) if (typeof depth !== 'number' || layerOf(name) <= depth) take(name);
  for (const name of ['activation', 'dropout', 'l2'] as const) take(name);
  return params as Partial<TrialParams>;
}

/** Whether the space tunes a model parameter. */
export function tunes(space: SpaceSpec, name: ModelParamName): boolean {
  return space[name] !== undefined;
}

/**
 * The model one trial trains: the spec's model with the trial's tuned values. A layer added by
 * a deeper hiddenLayers without its own unitsK takes the model's width at that layer, else its
 * last width (16 when it has none).
 */
export function trialModel(model: ModelSpec, params: Readonly<TrialParams>): ModelSpec {
  const depth = params.hiddenLayers ?? model.hidden.length;
  const hidden = Array.from({ length: depth }, (_, i) => {
    const name = unitsNames[i];
    return (name && params[name]) ?? model.hidden[i] ?? model.hidden[model.hidden.length - 1] ?? 16;
  });
  const l2 = params.l2 ?? model.l2;
  // No l2 key when there is none: a spec written out as YAML must not carry an undefined.
  return { ...model, hidden, activation: params.activation ?? model.activation, dropout: params.dropout ?? model.dropout, ...(l2 === undefined ? {} : { l2 }) };
}

/** The activations a space tunes, distinct, in the order written (empty when it tunes none). */
export function activationChoices(space: SpaceSpec): ActivationName[] {
  const domain = space.activation;
  if (domain === undefined) return [];
  return [...new Set(typeof domain === 'string' ? [domain] : domain.choice)];
}
