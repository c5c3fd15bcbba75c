import * as tf from './tf.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../api/domain.js';
import { chooseBackend } from './backend.js';
import { hasPackedGradients, packedForward, packedGradients, type PackedLayers } from './packedGradients.js';
import { memberLossAndMetric } from './packedLoss.js';

const members = 3;
const rows = 10;
const widths = [5, 8, 6, 3];

/** A pack of random layers and a batch: labels are classes, or [K, rows, 1] targets for regression. */
function pack(activationName: string, dropout: number, task: Task): { layers: PackedLayers; x: tf.Tensor; y: tf.Tensor } {
  const out = task === 'classification' ? widths.at(-1)! : 1;
  const sizes = [...widths.slice(0, -1), out];
  const kernels = sizes.slice(1).map((size, i) => tf.variable(tf.randomNormal([members, sizes[i]!, size], 0, 0.5, 'float32', 10 + i)));
  const biases = sizes.slice(1).map((size, i) => tf.variable(tf.randomNormal([members, 1, size], 0, 0.1, 'float32', 20 + i)));
  const x = tf.randomNormal([members, rows, widths[0]!], 0, 1, 'float32', 1);
  const y = task === 'classification'
    ? tf.tensor2d(Int32Array.from({ length: members * rows }, (_, i) => (i * 7) % out), [members, rows], 'int32')
    : tf.randomNormal([members, rows, 1], 0, 1, 'float32', 2);
  return { layers: { kernels, biases, activationName, dropout }, x, y };
}

/** The largest gap between the hand gradients and the tape's over the same objective, relative to the tape's size. */
function gap(activationName: string, task: Task, l2: number[], dropout = 0, seeds: number[] | null = null): number {
  const { layers, x, y } = pack(activationName, dropout, task);
  const variables = [...layers.kernels, ...layers.biases] as tf.Variable[];
  const tape = tf.variableGrads(() => {
    const { loss } = memberLossAndMetric(task, widths.at(-1)!, packedForward(layers, x, seeds), y);
    const penalty = tf.mul(tf.tensor1d(l2), tf.addN(layers.kernels.map((kernel) => tf.sum(tf.square(kernel), [1, 2]))));
    return tf.sum(tf.add(loss, penalty)) as tf.Scalar;
  }, variables);
  const hand = tf.tidy(() => packedGradients(layers, task, x, y, l2, seeds).grads);
  let worst = 0;
  variables.forEach((variable, i) => {
    const a = tape.grads[variable.name]!.dataSync();
    const b = hand[i]!.dataSync();
    expect(b.length).toBe(a.length);
    a.forEach((value, j) => (worst = Math.max(worst, Math.abs(value - b[j]!) / (1e-3 + Math.abs(value)))));
  });
  tf.dispose([x, y, tape.value, ...Object.values(tape.grads), ...hand, ...variables]);
  return worst;
}

describe.each(['wasm', 'cpu'])('packed gradients by hand on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await chooseBackend();
  });

  it.each(['relu', 'tanh', 'sigmoid', 'linear'])('%s, classification: the tape\'s gradients for every member', (activation) => {
    expect(gap(activation, 'classification', [0, 0, 0])).toBeLessThan(1e-4);
  });

  it('regression with a different L2 per member, and dropout masks per member', () => {
    expect(gap('tanh', 'regression', [0, 0.01, 0.1])).toBeLessThan(1e-4);
    expect(gap('relu', 'classification', [0, 0, 0], 0.3, [11, 22, 33])).toBeLessThan(1e-4);
  });

  it('has no rule for elu and selu: the trainer keeps the tape there', () => {
    expect(hasPackedGradients('relu')).toBe(true);
    expect(hasPackedGradients('elu')).toBe(false);
    expect(hasPackedGradients('selu')).toBe(false);
  });
});
