import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from './backend.js';
import { packedMatMul } from './packedMatMul.js';

const close = (a: tf.Tensor, b: tf.Tensor) => {
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
  expect(diff).toBeLessThan(1e-4);
};

beforeAll(async () => {
  await chooseBackend();
});

describe('packedMatMul (wasm)', () => {
  it('equals tfjs batched matMul for every transpose, in value and gradient, with members apart', () => {
    expect(tf.getBackend()).toBe('wasm');
    const a = tf.randomNormal([3, 5, 7], 0, 1, 'float32', 1);
    const b = tf.randomNormal([3, 7, 4], 0, 1, 'float32', 2);
    close(packedMatMul(a, b), tf.matMul(a, b));
    const aT = tf.transpose(a, [0, 2, 1]);
    const bT = tf.transpose(b, [0, 2, 1]);
    close(packedMatMul(aT, b, true, false), tf.matMul(a, b));
    close(packedMatMul(a, bT, false, true), tf.matMul(a, b));
    const ours = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(packedMatMul(x, y))))([a, b]);
    const theirs = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y))))([a, b]);
    close(ours[0]!, theirs[0]!);
    close(ours[1]!, theirs[1]!);
    // A NaN in member 1 stays in member 1.
    const poisoned = tf.concat([tf.slice(b, [0, 0, 0], [1, -1, -1]), tf.fill([1, 7, 4], NaN), tf.slice(b, [2, 0, 0], [1, -1, -1])]);
    const out = packedMatMul(a, poisoned).arraySync() as number[][][];
    expect(out[0]!.flat().every(Number.isFinite)).toBe(true);
    expect(out[1]!.flat().every(Number.isNaN)).toBe(true);
    expect(out[2]!.flat().every(Number.isFinite)).toBe(true);
  });
});
