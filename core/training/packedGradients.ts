import * as tf from './tf.js';
import type { Task } from '../api/domain.js';
import { activationGrads } from './denseGradients.js';
import { activationOps, dropoutMultiplier } from './models.js';
import { packedSoftmaxXentGrad } from './packedLoss.js';
import { packedMatMul } from './packedMatMul.js';

/**
 * A pack's forward pass, and its gradients by hand as denseGradients.ts works them out for one
 * model: the same rules per member, on [K, rows, units] activations, [K, in, out] kernels and
 * [K, 1, out] biases. The tape cost a pack step ~40 kernels and its bookkeeping; this is ~20.
 */

/** The layers of a pack: kernels and biases in order, the hidden activation, the dropout rate. */
export interface PackedLayers {
  kernels: tf.Tensor[];
  biases: tf.Tensor[];
  activationName: string;
  dropout: number;
}

/** [K, m, n] x [K, n, p] per member: on wasm K XNNPACK matMuls in one kernel (packedMatMul.ts). */
export function memberMatMul(a: tf.Tensor, b: tf.Tensor, transposeA = false, transposeB = false): tf.Tensor {
  return tf.getBackend() === 'wasm' ? packedMatMul(a, b, transposeA, transposeB) : tf.matMul(a, b, transposeA, transposeB);
}

/** What the backward pass needs of one layer: its input, pre-activation, output and dropout mask. */
interface SavedLayer {
  input: tf.Tensor;
  z: tf.Tensor;
  output: tf.Tensor;
  mask: tf.Tensor | null;
}

/**
 * [K, rows, out] from [K, rows, in]. With `dropoutSeeds`, member k's mask on hidden layer l is
 * the plain trainer's: dropoutMultiplier with seed k + l on a [rows, units] input.
 */
export function packedForward(layers: PackedLayers, x: tf.Tensor, dropoutSeeds: number[] | null, saved?: SavedLayer[]): tf.Tensor {
  const activation = activationOps[layers.activationName] ?? activationOps.linear!;
  let out = x;
  layers.kernels.forEach((kernel, layer) => {
    const input = out;
    const z = tf.add(memberMatMul(out, kernel), layers.biases[layer]!);
    const isLast = layer === layers.kernels.length - 1;
    out = isLast ? z : activation(z);
    const output = out;
    let mask: tf.Tensor | null = null;
    if (!isLast && dropoutSeeds && layers.dropout > 0) {
      const [, rows, units] = out.shape as [number, number, number];
      mask = tf.stack(dropoutSeeds.map((seed) => dropoutMultiplier([rows, units], layers.dropout, seed + layer)));
      out = tf.mul(out, mask);
    }
    saved?.push({ input, z, output, mask });
  });
  return out;
}

/** Whether packedGradients has a rule for this pack's activation (else the trainer keeps the tape). */
export function hasPackedGradients(activationName: string): boolean {
  return activationName in activationGrads;
}

/**
 * Gradients of the sum of member losses (plus each member's L2 penalty, `l2` per member), in
 * kernels-then-biases order; `output` is the forward pass's, for the loss and metric. Call
 * inside tf.tidy. Classification uses packedLoss's fused gradient kernel (wasm and cpu).
 */
export function packedGradients(layers: PackedLayers, task: Task, x: tf.Tensor, labels: tf.Tensor, l2: number[], dropoutSeeds: number[] | null): { output: tf.Tensor; grads: tf.Tensor[] } {
  const saved: SavedLayer[] = [];
  const output = packedForward(layers, x, dropoutSeeds, saved);
  const members = output.shape[0] ?? 0;
  // d(member k's mean loss)/d(output): the fused kernel with dy = 1 each, or 2 (y - t) / n.
  let dy = task === 'classification'
    ? packedSoftmaxXentGrad(output, labels, tf.ones([members]))
    : tf.mul(tf.sub(output, labels), 2 / ((output.shape[1] ?? 1) * (output.shape[2] ?? 1)));
  const kernelGrads: tf.Tensor[] = [];
  const biasGrads: tf.Tensor[] = [];
  const decay = l2.some((value) => value !== 0) ? tf.reshape(tf.tensor1d(l2.map((value) => 2 * value)), [members, 1, 1]) : null;
  for (let layer = saved.length - 1; layer >= 0; layer--) {
    const at = saved[layer]!;
    if (at.mask) dy = tf.mul(dy, at.mask);
    if (layer < saved.length - 1) dy = activationGrads[layers.activationName]!(dy, at.z, at.output);
    const kernel = layers.kernels[layer]!;
    const dKernel = memberMatMul(at.input, dy, true, false);
    kernelGrads[layer] = decay ? tf.add(dKernel, tf.mul(kernel, decay)) : dKernel;
    biasGrads[layer] = tf.sum(dy, 1, true);
    if (layer > 0) dy = memberMatMul(dy, kernel, false, true);
  }
  return { output, grads: [...kernelGrads, ...biasGrads] };
}
