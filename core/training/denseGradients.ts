import * as tf from './tf.js';
import type { Task } from '../api/domain.js';
import { fusedLossGrad, hasFusedLoss } from './fusedLoss.js';
import { densePlan, dropoutMultiplier, type DenseStep, type DropoutStep } from './models.js';

/**
 * The gradients of a stack of Dense layers, worked out by hand: tf.variableGrads records a tape
 * and replays tfjs's generic gradients (a reshape-sum-reshape per bias, a transpose per matMul,
 * identities), 28 kernels and the tape's bookkeeping for a 64-128-4 MLP step, where these rules
 * need 17. Each rule is the one tfjs's own gradient applies (relu: dy * step(x); tanh: dy * (1 -
 * y^2); sigmoid: dy * y * (1 - y); matMul: dy @ W^T and x^T @ dy), so the values are tfjs's
 * (denseGradients.test.ts); dropout multiplies the gradient by its forward mask. Other models
 * and activations (elu, selu, convolutions) keep the tape.
 */

/** Each activation's gradient, tfjs's rule, from the incoming dy, its input z and its output y. */
export const activationGrads: Record<string, (dy: tf.Tensor, z: tf.Tensor, y: tf.Tensor) => tf.Tensor> = {
  linear: (dy) => dy,
  relu: (dy, z) => tf.mul(dy, tf.step(z)),
  tanh: (dy, _z, y) => tf.mul(tf.sub(1, tf.square(y)), dy),
  sigmoid: (dy, _z, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y))),
};

export interface DenseGradients {
  /** The model's output (logits or predictions) for the batch: the caller's loss and metric read it. */
  output: tf.Tensor;
  /** One gradient of the mean loss plus the L2 penalty per variable, in `variables` order. */
  grads: tf.Tensor[];
}

/** A model as Dense and Dropout steps (models.ts densePlan), each with a rule here. */
export type DensePlan = (DenseStep | DropoutStep)[];

/** Whether `denseGradients` can train this model for this task on this backend. */
export function hasDenseGradients(model: tf.Sequential, task: Task): DensePlan | null {
  const plan = densePlan(model);
  if (!plan || !plan.every((step) => step.kind === 'dropout' || step.activationName in activationGrads)) return null;
  return task === 'regression' || hasFusedLoss() ? plan : null;
}

/** What the backward pass needs of one step's forward: its input, and z or the dropout mask. */
type Saved = { step: DenseStep; input: tf.Tensor; z: tf.Tensor; output: tf.Tensor } | { step: DropoutStep; mask: tf.Tensor };

/**
 * Forward and backward through `plan` on one batch; call inside tf.tidy. `dropoutSeed` as
 * forwardLogits takes it (null: no dropout), so both draw the same masks.
 */
export function denseGradients(plan: DensePlan, variables: tf.Variable[], task: Task, x: tf.Tensor, labels: tf.Tensor, l2: number | undefined, dropoutSeed: number | null = null): DenseGradients {
  const saved: Saved[] = [];
  let out = x;
  let dropoutIndex = 0;
  for (const step of plan) {
    if (step.kind === 'dense') {
      const z = tf.add(tf.matMul(out, step.kernel.read()), step.bias.read());
      const input = out;
      out = step.activation(z);
      saved.push({ step, input, z, output: out });
    } else if (dropoutSeed !== null && step.rate > 0) {
      const mask = dropoutMultiplier(out.shape, step.rate, dropoutSeed + dropoutIndex++);
      out = tf.mul(out, mask);
      saved.push({ step, mask });
    }
  }
  // d(mean loss)/d(output): the fused kernel's rule, or mean((y - t)^2)'s 2 (y - t) / n.
  let dy = task === 'classification' ? fusedLossGrad(out, labels) : tf.mul(tf.sub(out, labels), 2 / out.size);
  const byVariable = new Map<tf.Variable, tf.Tensor>();
  for (let i = saved.length - 1; i >= 0; i--) {
    const at = saved[i] as Saved;
    if (!('z' in at)) {
      dy = tf.mul(dy, at.mask);
      continue;
    }
    dy = activationGrads[at.step.activationName]!(dy, at.z, at.output);
    const kernel = at.step.kernel.read() as tf.Variable;
    // Transposed products: on wasm the kernel wrapper (wasmKernels.ts) transposes first where that is faster.
    let dKernel = tf.matMul(at.input, dy, true, false);
    if (l2) dKernel = tf.add(dKernel, tf.mul(kernel, 2 * l2));
    byVariable.set(kernel, dKernel);
    byVariable.set(at.step.bias.read() as tf.Variable, tf.sum(dy, 0));
    if (i > 0) dy = tf.matMul(dy, kernel, false, true);
  }
  return {
    output: out,
    grads: variables.map((variable) => {
      const grad = byVariable.get(variable);
      if (!grad) throw new Error(`no gradient for ${variable.name}: the plan and the variables differ`);
      return grad;
    }),
  };
}
