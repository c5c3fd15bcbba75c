import * as tf from './tf.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { learningRateDefaults, optimizersOutsideRange } from '../api/learningRates.js';
import type { OptimizerName, TrialParams } from '../api/spec.js';
import { optimizerNames } from '../api/spec.js';
import { chooseBackend } from './backend.js';
import { createOptimizer, optimizerDefaults } from './optimizers.js';

// One weight, loss (w*x - y)^2, gradient 2x(wx - y). Each formula below is tfjs 4.22's own
// (tfjs-core/dist/optimizers/*_optimizer.js), in float64, with the backend epsilon 1e-7; Adadelta's
// is Zeiler's (ours, epsilon 1e-6).
const x = 1.5;
const y = 0.5;
const w0 = 0.3;
const eps = 1e-7;
const grad = (w: number) => 2 * x * (w * x - y);

/** A hand-written optimizer: state in a closure, one step per call at the given rate. */
type Reference = (w: number, lr: number) => number;

function reference(name: OptimizerName, momentum: number): Reference {
  const d = optimizerDefaults;
  let a = 0; // first accumulator (velocity, m, mean square...)
  let b = 0; // second accumulator
  let beta1Power = 0;
  let beta2Power = 0;
  switch (name) {
    case 'sgd':
      return (w, lr) => w - lr * grad(w);
    case 'momentum':
      return (w, lr) => {
        a = momentum * a + grad(w);
        return w - lr * a;
      };
    case 'nesterov':
      return (w, lr) => {
        const g = grad(w);
        a = momentum * a + g;
        return w - lr * (g + momentum * a);
      };
    case 'adam':
      [beta1Power, beta2Power] = [d.adam.beta1, d.adam.beta2];
      return (w, lr) => {
        const g = grad(w);
        a = d.adam.beta1 * a + (1 - d.adam.beta1) * g;
        b = d.adam.beta2 * b + (1 - d.adam.beta2) * g * g;
        const next = w - (lr * (a / (1 - beta1Power))) / (Math.sqrt(b / (1 - beta2Power)) + eps);
        beta1Power *= d.adam.beta1;
        beta2Power *= d.adam.beta2;
        return next;
      };
    case 'adagrad':
      a = d.adagrad.initialAccumulatorValue;
      return (w, lr) => {
        const g = grad(w);
        a += g * g;
        return w - (lr * g) / Math.sqrt(a + eps);
      };
    case 'adadelta':
      // Zeiler's Algorithm 1: this step's gradient enters E[g^2] before the update divides by it.
      return (w, lr) => {
        const g = grad(w);
        const { rho, epsilon } = d.adadelta;
        a = rho * a + (1 - rho) * g * g;
        const update = (Math.sqrt(b + epsilon) / Math.sqrt(a + epsilon)) * g;
        b = rho * b + (1 - rho) * update * update;
        return w - lr * update;
      };
    case 'adamax':
      beta1Power = d.adamax.beta1;
      return (w, lr) => {
        const g = grad(w);
        a = d.adamax.beta1 * a + (1 - d.adamax.beta1) * g;
        b = Math.max(d.adamax.beta2 * b, Math.abs(g));
        const next = w - (lr / (1 - beta1Power)) * (a / (b + eps));
        beta1Power *= d.adamax.beta1;
        return next;
      };
    case 'rmsprop':
      return (w, lr) => {
        const g = grad(w);
        a = d.rmsprop.decay * a + (1 - d.rmsprop.decay) * g * g;
        b = d.rmsprop.momentum * b + (lr * g) / Math.sqrt(a + eps);
        return w - b;
      };
  }
}

const names: readonly OptimizerName[] = optimizerNames;

function params(optimizer: OptimizerName, learningRate: number): TrialParams {
  return { optimizer, learningRate, batchSize: 1, lrSchedule: 'constant', momentum: 0.8 };
}

/** Runs tfjs steps at the given rates (changing the live rate between steps); returns w after each. */
function tfjsSteps(name: OptimizerName, rates: number[]): number[] {
  const opt = createOptimizer(params(name, rates[0] ?? 0));
  const w = tf.variable(tf.scalar(w0));
  const out: number[] = [];
  for (const lr of rates) {
    opt.setLearningRate(lr);
    tf.tidy(() => {
      opt.optimizer.minimize(() => tf.square(tf.sub(tf.mul(w, x), y)) as tf.Scalar, false, [w]);
    });
    out.push(w.dataSync()[0] ?? NaN);
  }
  w.dispose();
  opt.dispose();
  return out;
}

function referenceSteps(name: OptimizerName, rates: number[]): number[] {
  const step = reference(name, 0.8);
  let w = w0;
  return rates.map((lr) => (w = step(w, lr)));
}

beforeAll(async () => {
  await chooseBackend();
});

/** Adadelta's rate is a multiplier around 1 (its steps are RMS-scaled); the others' around 0.05. */
const rateScale = (name: OptimizerName) => (name === 'adadelta' ? 20 : 1);

describe('optimizers against their formulas', () => {
  for (const name of names) {
    it(`${name}: two steps match the hand-computed update`, () => {
      const rates = [0.05, 0.05].map((rate) => rate * rateScale(name));
      const got = tfjsSteps(name, rates);
      const want = referenceSteps(name, rates);
      got.forEach((value, i) => expect(value).toBeCloseTo(want[i] ?? NaN, 5));
      expect(got[1]).not.toBeCloseTo(w0, 3);
    });

    it(`${name}: a rate changed between steps is used by the next step`, () => {
      const rates = [0.05, 0.2, 0.01].map((rate) => rate * rateScale(name));
      const got = tfjsSteps(name, rates);
      const want = referenceSteps(name, rates);
      got.forEach((value, i) => expect(value).toBeCloseTo(want[i] ?? NaN, 5));
      // And the change matters: the same run at a constant rate ends elsewhere.
      const constant = referenceSteps(name, [0.05, 0.05, 0.05].map((rate) => rate * rateScale(name)));
      expect(Math.abs((constant[2] ?? 0) - (want[2] ?? 0))).toBeGreaterThan(1e-3);
    });
  }

  it('reports the live rate and leaks no tensor when it changes', () => {
    for (const name of names) {
      const opt = createOptimizer(params(name, 0.1));
      const before = tf.memory().numTensors;
      for (let i = 0; i < 5; i++) opt.setLearningRate(0.01 * (i + 1));
      expect(tf.memory().numTensors).toBe(before);
      expect(opt.learningRate()).toBeCloseTo(0.05, 10);
      opt.dispose();
    }
  });

  it('frees every tensor it made on dispose, after steps and rate changes', () => {
    for (const name of names) {
      const w = tf.variable(tf.scalar(w0));
      const before = tf.memory().numTensors;
      const opt = createOptimizer(params(name, 0.1));
      for (let i = 0; i < 3; i++) {
        opt.setLearningRate(0.1 / (i + 1));
        tf.tidy(() => {
          opt.optimizer.minimize(() => tf.square(tf.sub(tf.mul(w, x), y)) as tf.Scalar, false, [w]);
        });
      }
      opt.dispose();
      expect(tf.memory().numTensors, name).toBe(before);
      w.dispose();
    }
  });

  it('adadelta: Zeiler\'s first steps, worked by hand at rate 1.0', () => {
    // w0 0.3: g1 = 2 * 1.5 * (0.45 - 0.5) = -0.15. E[g^2] = 0.05 * 0.0225 = 0.001125.
    // dx1 = sqrt(1e-6) / sqrt(0.001125 + 1e-6) * g1 = 0.001 / 0.0335559... * -0.15 = -0.00447015...
    const g1 = -0.15;
    const meanSquareGrad = 0.05 * g1 * g1;
    const dx1 = (Math.sqrt(1e-6) / Math.sqrt(meanSquareGrad + 1e-6)) * g1;
    expect(dx1).toBeCloseTo(-0.0044701497, 9);
    const w1 = w0 - dx1;
    const [got1, got2] = tfjsSteps('adadelta', [1.0, 1.0]);
    expect(got1).toBeCloseTo(0.3044701497, 6);
    // Step 2: g2 from w1, both running means carried over.
    const g2 = 2 * x * (w1 * x - y);
    const meanSquareGrad2 = 0.95 * meanSquareGrad + 0.05 * g2 * g2;
    const meanSquareUpdate = 0.05 * dx1 * dx1;
    const dx2 = (Math.sqrt(meanSquareUpdate + 1e-6) / Math.sqrt(meanSquareGrad2 + 1e-6)) * g2;
    expect(got2).toBeCloseTo(w1 - dx2, 6);
    // tfjs's variant takes a whole-gradient first step (sqrt(eps)/sqrt(eps) = 1): w = 0.3 + 0.15.
    expect(got1).not.toBeCloseTo(0.45, 2);
  });

  it('adadelta has its own default rate (1.0, Zeiler) and range, which the usual range misses', () => {
    expect(learningRateDefaults.adadelta).toEqual({ rate: 1.0, range: [0.1, 10] });
    expect(optimizersOutsideRange(['sgd', 'adam', 'adadelta'], 0.001, 0.1)).toEqual(['adadelta']);
    expect(optimizersOutsideRange(['adadelta'], 0.5, 2)).toEqual([]);
    expect(optimizersOutsideRange(['sgd'], 0.5, 2)).toEqual(['sgd']);
  });

  it('passes momentum through and defaults it to 0.9', () => {
    const config = (p: TrialParams) => createOptimizer(p).optimizer.getConfig();
    expect(config(params('nesterov', 0.1))).toMatchObject({ momentum: 0.8, useNesterov: true });
    const { momentum: _m, ...plain } = params('momentum', 0.1);
    expect(config(plain)).toMatchObject({ momentum: 0.9, useNesterov: false });
  });
});
