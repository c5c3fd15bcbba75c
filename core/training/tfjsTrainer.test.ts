import * as tf from './tf.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec, TrialParams } from '../api/spec.js';
import type { DatasetSplit } from '../data/dataset.js';
import { chooseBackend } from './backend.js';
import { blobsSplit, linearSplit, tinyImagesSplit } from '../../tests/support/syntheticSplits.js';
import { TfjsTrainer } from './tfjsTrainer.js';
import type { EpochResult } from './trainer.js';

const mlp: ModelSpec = { type: 'mlp', hidden: [16], activation: 'relu', dropout: 0 };
const adam: TrialParams = { optimizer: 'adam', learningRate: 0.05, batchSize: 16, lrSchedule: 'constant' };

async function train(
  params: TrialParams,
  model: ModelSpec,
  split: DatasetSplit,
  epochs: number,
  seed = 7,
): Promise<{ results: EpochResult[]; weights: number[][] }> {
  const trainer = new TfjsTrainer();
  trainer.build(params, model, split, seed, epochs);
  const results: EpochResult[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const result = await trainer.runEpoch(epoch);
    results.push(result);
    if (result.isDiverged) break;
  }
  const weights = trainer.model.getWeights().map((w) => Array.from(w.dataSync()));
  trainer.dispose();
  return { results, weights };
}

const withoutTime = (r: EpochResult) => ({ ...r.metrics, epoch_ms: 0 });

beforeAll(async () => {
  await chooseBackend();
});

describe('TfjsTrainer', () => {
  it('learns iris-like blobs well above chance, with the classification metrics', async () => {
    const { results } = await train(adam, mlp, blobsSplit(), 15);
    const first = results[0]!.metrics;
    const last = results[results.length - 1]!.metrics;
    expect(Object.keys(last).sort()).toEqual(
      ['accuracy', 'epoch_ms', 'loss', 'lr', 'val_accuracy', 'val_loss'].sort(),
    );
    expect(last.val_accuracy, JSON.stringify(results.map((r) => r.metrics))).toBeGreaterThan(0.85);
    expect(last.loss).toBeLessThan(first.loss!);
    expect(last.lr).toBe(0.05);
    expect(results.every((r) => !r.isDiverged && !r.isStopped && r.batches === 8)).toBe(true);
  });

  it('fits a linear regression and reports mae', async () => {
    const sgd: TrialParams = { optimizer: 'sgd', learningRate: 0.1, batchSize: 10, lrSchedule: 'constant' };
    const { results, weights } = await train(sgd, { ...mlp, type: 'linear' }, linearSplit(), 20);
    const last = results[results.length - 1]!.metrics;
    expect(last.val_mae).toBeLessThan(0.1);
    expect(last).toHaveProperty('mae');
    expect(weights[0]![0]).toBeCloseTo(2, 1);
    expect(weights[1]![0]).toBeCloseTo(0.5, 1);
  });

  it('trains a cnn on tiny images', async () => {
    const { results } = await train(adam, { ...mlp, type: 'cnn', hidden: [] }, tinyImagesSplit(), 4);
    expect(results[3]!.metrics.val_accuracy).toBeGreaterThan(0.9);
  });

  it('gives identical weights and metrics for the same seed, even with dropout', async () => {
    const spec = { ...mlp, hidden: [12, 8], dropout: 0.3 };
    const a = await train(adam, spec, blobsSplit(), 3, 11);
    const b = await train(adam, spec, blobsSplit(), 3, 11);
    const c = await train(adam, spec, blobsSplit(), 3, 12);
    expect(a.weights).toEqual(b.weights);
    expect(a.results.map(withoutTime)).toEqual(b.results.map(withoutTime));
    expect(a.weights).not.toEqual(c.weights);
  });

  it('applies the schedule per epoch and reports the rate used', async () => {
    const step: TrialParams = { ...adam, lrSchedule: 'step', decayRate: 0.1, decaySteps: 2 };
    const { results } = await train(step, mlp, blobsSplit(), 5);
    const rates = results.map((r) => r.metrics.lr!);
    [0.05, 0.05, 0.005, 0.005, 0.0005].forEach((want, i) => expect(rates[i]).toBeCloseTo(want, 10));
  });

  it('reports divergence for a huge learning rate', async () => {
    const huge: TrialParams = { optimizer: 'sgd', learningRate: 1e6, batchSize: 10, lrSchedule: 'constant' };
    const { results } = await train(huge, { ...mlp, type: 'linear' }, linearSplit(), 10);
    expect(results.at(-1)!.isDiverged).toBe(true);
    expect(results.length).toBeLessThan(10);
  });

  it('reports divergence at epoch 0 when the data holds a NaN', async () => {
    const split = blobsSplit();
    split.trainX[5] = NaN;
    const { results } = await train(adam, mlp, split, 3);
    expect(results).toHaveLength(1);
    expect(results[0]!.isDiverged).toBe(true);
    expect(results[0]!.metrics.loss).toBeNaN();
  });

  it('leaks no tensor across epochs and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const trainer = new TfjsTrainer();
    trainer.build({ ...adam, optimizer: 'momentum', lrSchedule: 'cosine' }, { ...mlp, dropout: 0.2 }, blobsSplit(), 1, 6);
    const counts: number[] = [];
    for (let epoch = 0; epoch < 6; epoch++) {
      await trainer.runEpoch(epoch);
      counts.push(tf.memory().numTensors);
    }
    // The optimizer makes its slot variables on the first step; from then on the count is flat.
    expect(new Set(counts).size).toBe(1);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees batches gathered ahead, past a chunk boundary and on a stop mid-chunk', async () => {
    // batch 1 on 120 training rows: 120 steps, more than one chunk of batches gathered at once.
    const trainer = new TfjsTrainer({ yieldEveryMs: 0 });
    trainer.build({ ...adam, optimizer: 'sgd', batchSize: 1 }, mlp, blobsSplit(), 1, 3);
    const first = await trainer.runEpoch(0);
    expect(first.batches).toBe(120);
    const afterEpoch = tf.memory().numTensors;
    setImmediate(() => trainer.requestStop());
    const stopped = await trainer.runEpoch(1);
    expect(stopped.isStopped).toBe(true);
    expect(stopped.batches).toBeLessThan(120);
    expect(tf.memory().numTensors).toBe(afterEpoch);
    trainer.dispose();
  });

  it('yields to the event loop across short epochs, so a stop arrives before the trial ends', async () => {
    // An epoch of one big batch takes far less than the yield interval: only a clock kept across
    // epochs lets the queued stop (an IPC message in a worker) run.
    const trainer = new TfjsTrainer({ yieldEveryMs: 50 });
    trainer.build({ ...adam, batchSize: 1024 }, mlp, blobsSplit(), 1, 500);
    await trainer.runEpoch(0); // the first epoch warms up kernels and may be slow by itself
    setImmediate(() => trainer.requestStop());
    let epochs = 1;
    for (; epochs < 500; epochs++) if ((await trainer.runEpoch(epochs)).isStopped) break;
    expect(epochs).toBeLessThan(500);
    trainer.dispose();
  });

  it('stops after the batch in flight when a stop is requested mid-epoch', async () => {
    const trainer = new TfjsTrainer({ yieldEveryMs: 0 });
    trainer.build({ ...adam, batchSize: 1 }, mlp, blobsSplit(), 1, 3);
    setImmediate(() => trainer.requestStop());
    const result = await trainer.runEpoch(0);
    expect(result.isStopped).toBe(true);
    expect(result.batches).toBeGreaterThanOrEqual(1);
    expect(result.batches).toBeLessThan(5);
    expect(result.metrics).not.toHaveProperty('val_loss');
    const after = await trainer.runEpoch(1);
    expect(after).toMatchObject({ isStopped: true, batches: 0 });
    trainer.dispose();
  });
});
