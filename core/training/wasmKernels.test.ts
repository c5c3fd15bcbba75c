import * as tf from './tf.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from './backend.js';
import { registerWasmTrainingKernels } from './wasmKernels.js';

type Case = { x: [number, number, number, number]; k: number; outC: number; stride: number; pad: 'same' | 'valid' };

const cases: Case[] = [
  { x: [2, 7, 6, 3], k: 3, outC: 4, stride: 1, pad: 'same' },
  { x: [2, 7, 6, 3], k: 3, outC: 4, stride: 1, pad: 'valid' },
  { x: [1, 9, 8, 2], k: 5, outC: 3, stride: 2, pad: 'same' },
  { x: [3, 8, 8, 1], k: 2, outC: 2, stride: 2, pad: 'valid' },
  { x: [1, 5, 5, 2], k: 1, outC: 3, stride: 1, pad: 'same' },
];

/** The filter gradient on a backend, via tf.grad of sum(conv2d * weights) so dy is not all ones. */
async function filterGrad(backend: string, c: Case): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.randomNormal([c.k, c.k, c.x[3], c.outC], 0, 1, 'float32', 2) as tf.Tensor4D;
    const probe = tf.randomNormal(tf.conv2d(x, filter, c.stride, c.pad).shape, 0, 1, 'float32', 3);
    const grad = tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, c.stride, c.pad), probe)));
    return grad(filter).dataSync() as Float32Array;
  });
}

beforeAll(async () => {
  await chooseBackend();
});

afterAll(async () => {
  await chooseBackend();
});

describe('wasm training kernels', () => {
  it('is registered after the wasm backend is chosen', () => {
    if (tf.getBackend() !== 'wasm') return;
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  for (const c of cases) {
    it(`matches the cpu kernel: x ${c.x.join('x')}, ${c.k}x${c.k}, stride ${c.stride}, ${c.pad}`, async () => {
      registerWasmTrainingKernels();
      const want = await filterGrad('cpu', c);
      const got = await filterGrad('wasm', c);
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i] ?? NaN, 3));
    });
  }

  it('matMul with transpose flags (plain, batched, fused) matches cpu', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const a = tf.randomNormal([5, 7], 0, 1, 'float32', 1);
        const b = tf.randomNormal([7, 3], 0, 1, 'float32', 2);
        const a3 = tf.randomNormal([2, 7, 5], 0, 1, 'float32', 3);
        const b3 = tf.randomNormal([2, 3, 7], 0, 1, 'float32', 4);
        const bias = tf.randomNormal([3], 0, 1, 'float32', 5);
        const outs = [
          tf.matMul(a, b),
          tf.matMul(tf.transpose(a), b, true, false),
          tf.matMul(a, tf.transpose(b), false, true),
          tf.matMul(tf.transpose(a), tf.transpose(b), true, true),
          tf.matMul(a3, b3, true, true),
          tf.fused.matMul({ a: tf.transpose(a), b: tf.transpose(b), transposeA: true, transposeB: true, bias, activation: 'relu' }),
        ];
        return outs.map((t) => Array.from(t.dataSync()));
      });
    };
    registerWasmTrainingKernels();
    const want = await run('cpu');
    const got = await run('wasm');
    got.forEach((values, i) => values.forEach((v, j) => expect(v).toBeCloseTo(want[i]?.[j] ?? NaN, 4)));
  });

  it('wraps matMul once however often it is registered', () => {
    registerWasmTrainingKernels();
    const first = tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc;
    registerWasmTrainingKernels();
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).toBe(first);
  });

  it('leaks no tensor', async () => {
    await tf.setBackend('wasm');
    const c = cases[0]!;
    await filterGrad('wasm', c);
    const before = tf.memory().numTensors;
    await filterGrad('wasm', c);
    tf.tidy(() => {
      tf.matMul(tf.ones([3, 2]), tf.ones([3, 2]), true, false);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
