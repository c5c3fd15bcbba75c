import type { OptimizerName } from './spec.js';

/**
 * The rate an optimizer is usually run at and the range worth searching. Adadelta's rate is a
 * multiplier on steps already scaled by RMS[dx] / RMS[g] (Zeiler's rule): 1.0 is its rule as
 * published, and rates near the others' 0.01 barely move the weights.
 */
export interface RateDefault {
  rate: number;
  range: readonly [number, number];
}

const common: RateDefault = { rate: 0.01, range: [0.001, 0.1] };

export const learningRateDefaults: Record<OptimizerName, RateDefault> = {
  sgd: common,
  momentum: common,
  nesterov: common,
  adam: { rate: 0.001, range: [0.0001, 0.01] },
  adagrad: common,
  adadelta: { rate: 1.0, range: [0.1, 10] },
  adamax: { rate: 0.002, range: [0.0001, 0.01] },
  rmsprop: { rate: 0.001, range: [0.0001, 0.01] },
};

/** Optimizers among `chosen` that a rate range misses entirely (the wizard warns about them). */
export function optimizersOutsideRange(chosen: readonly OptimizerName[], low: number, high: number): OptimizerName[] {
  return chosen.filter((name) => {
    const [from, to] = learningRateDefaults[name].range;
    return high <= from || low >= to; // touching at one end is no overlap
  });
}
