import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from './tf.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../api/spec.js';
import { TunebenchError } from '../api/errors.js';
import { chooseBackend } from './backend.js';
import { fileLoadHandler, saveModelTo } from './modelFiles.js';
import { buildModel, forwardLogits } from './models.js';
import { blobsSplit, linearSplit, tinyImagesSplit } from '../../tests/support/syntheticSplits.js';

const spec = (type: ModelSpec['type'], extra: Partial<ModelSpec> = {}): ModelSpec => ({
  type,
  hidden: [],
  activation: 'relu',
  dropout: 0,
  ...extra,
});

function weights(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

function expectMismatch(run: () => unknown, pattern: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TunebenchError);
    expect((error as TunebenchError).code).toBe('DATASET_MISMATCH');
    expect((error as TunebenchError).message).toMatch(pattern);
    return;
  }
  throw new Error('expected a DATASET_MISMATCH error');
}

beforeAll(async () => {
  await chooseBackend();
});

describe('buildModel', () => {
  it('builds each type with the right output for its task', () => {
    const blobs = blobsSplit();
    const x = tf.zeros([5, 4]);
    for (const type of ['logistic', 'mlp'] as const) {
      const model = buildModel(spec(type, { hidden: [6, 5] }), blobs, 1);
      expect((model.predict(x) as tf.Tensor).shape).toEqual([5, 3]);
      const sums = tf.sum(model.predict(x) as tf.Tensor, 1).dataSync();
      sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
      model.dispose();
    }
    const linear = buildModel(spec('linear'), linearSplit(), 1);
    expect(linear.layers.filter((l) => l.getClassName() === 'Dense')).toHaveLength(1);
    expect((linear.predict(tf.zeros([2, 3])) as tf.Tensor).shape).toEqual([2, 1]);
    linear.dispose();
    const cnn = buildModel(spec('cnn'), tinyImagesSplit(), 1);
    expect(cnn.layers.map((l) => l.getClassName())).toContain('Conv2D');
    expect((cnn.predict(tf.zeros([2, 64])) as tf.Tensor).shape).toEqual([2, 2]);
    cnn.dispose();
    x.dispose();
  });

  it('gives the same weights for the same seed, others for another', () => {
    const data = blobsSplit();
    const [a, b, c] = [1, 1, 2].map((seed) => buildModel(spec('mlp', { hidden: [8, 8] }), data, seed));
    expect(weights(a!)).toEqual(weights(b!));
    expect(weights(a!)).not.toEqual(weights(c!));
    // Two hidden layers of the same shape still start apart.
    const deep = buildModel(spec('mlp', { hidden: [8, 8, 8] }), data, 1);
    const kernels = deep.getWeights().filter((w) => w.shape.join() === '8,8');
    expect(kernels).toHaveLength(2);
    expect(Array.from(kernels[0]!.dataSync())).not.toEqual(Array.from(kernels[1]!.dataSync()));
    [a, b, c, deep].forEach((m) => m!.dispose());
  });

  it('rejects a model that does not fit the dataset, naming the model type', () => {
    expectMismatch(() => buildModel(spec('linear'), blobsSplit(), 1), /"linear".*regression.*classification/);
    expectMismatch(() => buildModel(spec('logistic'), linearSplit(), 1), /"logistic".*classification.*regression/);
    expectMismatch(() => buildModel(spec('cnn'), blobsSplit(), 1), /"cnn".*image/);
  });

  it('forwardLogits skips the softmax, and dropout only with a seed', () => {
    const model = buildModel(spec('mlp', { hidden: [16], dropout: 0.5 }), blobsSplit(), 3);
    const x = tf.randomNormal([4, 4], 0, 1, 'float32', 9);
    const logits = forwardLogits(model, x, null);
    expect(Array.from(tf.softmax(logits).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()).map((v) => expect.closeTo(v, 6)),
    );
    const once = forwardLogits(model, x, 11).dataSync();
    expect(Array.from(forwardLogits(model, x, 11).dataSync())).toEqual(Array.from(once));
    expect(Array.from(forwardLogits(model, x, 12).dataSync())).not.toEqual(Array.from(once));
    model.dispose();
  });
});

describe('model files', () => {
  it('saves model.json + weights.bin and loads back the same predictions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tunebench-model-'));
    try {
      const model = buildModel(spec('cnn', { hidden: [4] }), tinyImagesSplit(), 5);
      await saveModelTo(model, join(dir, 'm'));
      expect((await readdir(join(dir, 'm'))).sort()).toEqual(['model.json', 'weights.bin']);
      const loaded = await tf.loadLayersModel(fileLoadHandler(join(dir, 'm')));
      const x = tf.randomNormal([3, 64], 0, 1, 'float32', 4);
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(
        Array.from((model.predict(x) as tf.Tensor).dataSync()),
      );
      model.dispose();
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
