import * as tf from './tf.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from './backend.js';
import { registerWasmTrainingKernels, smallProductMacs } from './wasmKernels.js';

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
        // Past smallProductMacs the wrapper transposes first; below it the kernel runs as it is.
        const big = tf.randomNormal([40, 60], 0, 1, 'float32', 6);
        const big2 = tf.randomNormal([40, 30], 0, 1, 'float32', 7);
        expect(40 * 60 * 30).toBeGreaterThan(smallProductMacs);
        expect(7 * 5 * 3).toBeLessThan(smallProductMacs);
        const outs = [
          tf.matMul(big, big2, true, false),
          tf.matMul(big2, big, true, false),
          tf.matMul(big2, big2, false, true),
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
    got.forEach((values, i) => values.forEach((v, j) => expect([i, v]).toEqual([i, expect.closeTo(want[i]?.[j] ?? NaN, 4)])));
  });

  it('slices and splits as the cpu kernels do: rows, int32 labels, and the non-contiguous cases it leaves to tfjs', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const x = tf.randomNormal([37, 6], 0, 1, 'float32', 8);
        const x3 = tf.randomNormal([9, 4, 3], 0, 1, 'float32', 9);
        const labels = tf.tensor1d(Array.from({ length: 37 }, (_, i) => (i * 7) % 4), 'int32');
        const outs = [
          ...tf.split(x, [16, 16, 5]),
          ...tf.split(labels, [16, 16, 5]),
          ...tf.split(x, [0, 30, 7]),
          tf.slice(tf.tensor1d([true, false, true, true], 'bool'), 1, 2),
          ...tf.split(x3, 3),
          ...tf.split(x3, [1, 3], 1),
          tf.slice(x, [3, 0], [10, -1]),
          tf.slice(labels, 30, 7),
          tf.slice(x, [2, 1], [5, 3]),
          tf.slice(x3, [1, 1, 0], [2, 2, 3]),
        ];
        return outs.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }));
      });
    };
    registerWasmTrainingKernels();
    expect(await run('wasm')).toEqual(await run('cpu'));
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
      tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]), true, false);
      tf.split(tf.ones([10, 3]), [4, 6]);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
