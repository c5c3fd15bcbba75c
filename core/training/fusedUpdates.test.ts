import * as tf from './tf.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec, TrialParams } from '../api/spec.js';
import { blobsSplit } from '../../tests/support/syntheticSplits.js';
import { chooseBackend } from './backend.js';
import { fusedKernelNames, fusedUpdater } from './fusedUpdates.js';
import { createOptimizer } from './optimizers.js';
import { TfjsTrainer } from './tfjsTrainer.js';

const mlp: ModelSpec = { type: 'mlp', hidden: [16], activation: 'relu', dropout: 0 };
// Float64 arithmetic stored as float32 against tfjs's float32 ops: the curves agree this closely.
const tolerance = 1e-4;

async function curve(params: TrialParams, fusedKernels: boolean, epochs = 5): Promise<{ losses: number[]; weights: Float32Array[] }> {
  const trainer = new TfjsTrainer({ fusedKernels });
  trainer.build(params, mlp, blobsSplit(), 7, epochs);
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const { metrics } = await trainer.runEpoch(epoch);
    losses.push(metrics.loss!, metrics.val_loss!);
  }
  const weights = trainer.model.getWeights().map((w) => w.dataSync() as Float32Array);
  trainer.dispose();
  return { losses, weights };
}

describe.each(['wasm', 'cpu'])('fused optimizer updates on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await chooseBackend();
  });

  it('registers its kernels in the tfjs registry', () => {
    expect(fusedUpdater('adam')).not.toBeNull();
    expect(tf.getKernel(fusedKernelNames.adam, backend)).toBeDefined();
    expect(tf.getKernel(fusedKernelNames.sgd, backend)).toBeDefined();
    expect(fusedUpdater('rmsprop')).toBeNull();
  });

  it.each(['sgd', 'adam'] as const)('%s: one step equals tfjs\'s update', (optimizer) => {
    const params: TrialParams = { optimizer, learningRate: 0.05, batchSize: 8, lrSchedule: 'constant' };
    const start = tf.randomNormal([6, 5], 0, 1, 'float32', 3);
    const grads = [1, 2, 3].map((seed) => tf.randomNormal([6, 5], 0, 1, 'float32', seed + 10));
    const plain = tf.variable(start.clone(), true, `plain-${optimizer}-${backend}`);
    const fused = tf.variable(start.clone(), true, `fused-${optimizer}-${backend}`);
    const reference = createOptimizer(params);
    const updater = fusedUpdater(optimizer)!;
    for (const g of grads) {
      reference.optimizer.applyGradients({ [plain.name]: g });
      updater.apply([fused], [g], 0.05);
    }
    const a = plain.dataSync();
    const b = fused.dataSync();
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-5);
    expect(Array.from(b)).not.toEqual(Array.from(start.dataSync()));
    reference.dispose();
    tf.dispose([start, plain, fused, ...grads]);
  });

  it.each(['sgd', 'adam'] as const)('%s: same seed, same loss curve as the plain tfjs ops (within 1e-4)', async (optimizer) => {
    const params: TrialParams = { optimizer, learningRate: optimizer === 'sgd' ? 0.1 : 0.01, batchSize: 16, lrSchedule: 'constant' };
    const plain = await curve(params, false);
    const fused = await curve(params, true);
    expect(fused.losses.length).toBe(10);
    fused.losses.forEach((loss, i) => expect(Math.abs(loss - plain.losses[i]!), `point ${i}: ${loss} vs ${plain.losses[i]}`).toBeLessThan(tolerance));
    expect(fused.losses[8]!).toBeLessThan(fused.losses[0]!);
  });

  it('leaves a clone of the variable (a kept checkpoint) as it was', () => {
    const variable = tf.variable(tf.ones([4, 3]), true, `shared-${backend}`);
    const kept = tf.clone(variable);
    fusedUpdater('sgd')!.apply([variable], [tf.onesLike(variable)], 0.5);
    expect(Array.from(kept.dataSync())).toEqual(new Array(12).fill(1));
    expect(Array.from(variable.dataSync())).toEqual(new Array(12).fill(0.5));
    tf.dispose([variable, kept]);
  });
});
