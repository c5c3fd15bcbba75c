import * as tf from './tf.js';
import type { OptimizerName, TrialParams } from '../api/spec.js';
import { adadeltaDefaults, ZeilerAdadelta } from './adadelta.js';

/**
 * Constants we pass to tfjs (its own defaults, written out so a tfjs upgrade cannot change them
 * silently). epsilon is left to tfjs: the backend's epsilon, 1e-7 in float32.
 */
export const optimizerDefaults = {
  /** momentum and nesterov, when params.momentum is absent. */
  momentum: 0.9,
  adam: { beta1: 0.9, beta2: 0.999 },
  adamax: { beta1: 0.9, beta2: 0.999, decay: 0 },
  adagrad: { initialAccumulatorValue: 0.1 },
  /** Zeiler's rule, our own optimizer (core/training/adadelta.ts); epsilon 1e-6 as in the paper. */
  adadelta: { rho: adadeltaDefaults.rho, epsilon: adadeltaDefaults.epsilon },
  rmsprop: { decay: 0.9, momentum: 0 },
} as const;

/** A tfjs optimizer whose learning rate can be changed while it trains. */
export interface TunableOptimizer {
  readonly name: OptimizerName;
  readonly optimizer: tf.Optimizer;
  learningRate(): number;
  setLearningRate(lr: number): void;
  dispose(): void;
}

// tfjs keeps the rate in a `learningRate` field (protected in its types). Adam, Adamax, Adagrad,
// RMSProp and our Adadelta read that number on every step, so assigning it is enough.
interface RateField {
  learningRate: number;
}

function rateOf(optimizer: tf.Optimizer): number {
  return (optimizer as unknown as RateField).learningRate;
}

function makeSetter(name: OptimizerName, optimizer: tf.Optimizer): (lr: number) => void {
  // SGD and Momentum (and so nesterov) bake -lr into a kept scalar `c` in the constructor;
  // their own setLearningRate disposes it and makes a new one. Assigning the field would not do.
  // (Decided by name: tfjs's Optimizer overrides instanceof with a duck-typed check.)
  if (name === 'sgd' || name === 'momentum' || name === 'nesterov') {
    const sgd = optimizer as tf.SGDOptimizer;
    return (lr) => sgd.setLearningRate(lr);
  }
  return (lr) => {
    (optimizer as unknown as RateField).learningRate = lr;
  };
}

function create(params: TrialParams): tf.Optimizer {
  const lr = params.learningRate;
  const d = optimizerDefaults;
  switch (params.optimizer) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, params.momentum ?? d.momentum, false);
    case 'nesterov':
      return tf.train.momentum(lr, params.momentum ?? d.momentum, true);
    case 'adam':
      return tf.train.adam(lr, d.adam.beta1, d.adam.beta2);
    case 'adagrad':
      return tf.train.adagrad(lr, d.adagrad.initialAccumulatorValue);
    case 'adadelta':
      return new ZeilerAdadelta(lr, d.adadelta.rho, d.adadelta.epsilon);
    case 'adamax':
      return tf.train.adamax(lr, d.adamax.beta1, d.adamax.beta2, undefined, d.adamax.decay);
    case 'rmsprop':
      return tf.train.rmsprop(lr, d.rmsprop.decay, d.rmsprop.momentum);
  }
}

/**
 * The optimizer a trial asked for. params.momentum applies to momentum and nesterov only; every
 * other constant is in optimizerDefaults. Dispose it when the trial ends (it owns tensors).
 */
export function createOptimizer(params: TrialParams): TunableOptimizer {
  const optimizer = create(params);
  const set = makeSetter(params.optimizer, optimizer);
  return {
    name: params.optimizer,
    optimizer,
    learningRate: () => rateOf(optimizer),
    setLearningRate: (lr) => {
      if (lr !== rateOf(optimizer)) set(lr);
    },
    dispose: () => {
      optimizer.dispose();
      // MomentumOptimizer.dispose() forgets the `c` scalar its SGD parent made: one leak a trial.
      if (params.optimizer === 'momentum' || params.optimizer === 'nesterov') {
        (optimizer as unknown as { c?: tf.Scalar }).c?.dispose();
      }
    },
  };
}
