import * as tf from './tf.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec, TrialParams } from '../api/spec.js';
import { chooseBackend } from './backend.js';
import { blobsSplit } from '../../tests/support/syntheticSplits.js';
import { TfjsTrainer } from './tfjsTrainer.js';

const mlp: ModelSpec = { type: 'mlp', hidden: [16], activation: 'relu', dropout: 0 };
const adam: TrialParams = { optimizer: 'adam', learningRate: 0.05, batchSize: 16, lrSchedule: 'constant' };

/** Real training on tiny blobs: the layer shapes, the loss per epoch and the kernels' squared norm. */
async function train(params: TrialParams, epochs = 6): Promise<{ shapes: number[][]; losses: number[]; kernelNorm: number; dropouts: number }> {
  const trainer = new TfjsTrainer();
  trainer.build(params, mlp, blobsSplit(), 7, epochs);
  const losses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) losses.push((await trainer.runEpoch(epoch)).metrics.loss ?? NaN);
  const model = trainer.model;
  const kernels = model.layers.filter((layer) => layer.getClassName() === 'Dense').map((layer) => layer.getWeights()[0]!);
  const kernelNorm = kernels.reduce((sum, kernel) => sum + tf.sum(tf.square(kernel)).dataSync()[0]!, 0);
  const shapes = kernels.map((kernel) => kernel.shape);
  const dropouts = model.layers.filter((layer) => layer.getClassName() === 'Dropout').length;
  trainer.dispose();
  return { shapes, losses, kernelNorm, dropouts };
}

beforeAll(async () => {
  await chooseBackend();
});

describe('model params a trial tunes change the network it trains', () => {
  it('builds the depth and widths the trial asks for, with its dropout', async () => {
    const plain = await train(adam, 1);
    expect(plain.shapes.map((shape) => shape[1])).toEqual([16, 3]);
    expect(plain.dropouts).toBe(0);
    const deep = await train({ ...adam, hiddenLayers: 3, units1: 24, units2: 12, units3: 5, activation: 'tanh', dropout: 0.3 }, 2);
    expect(deep.shapes.map((shape) => shape[1])).toEqual([24, 12, 5, 3]);
    expect(deep.dropouts).toBe(3);
    expect(deep.losses.every(Number.isFinite)).toBe(true);
  });

  it('adds the L2 penalty to the training loss and shrinks the kernels', async () => {
    const free = await train(adam);
    const decayed = await train({ ...adam, l2: 0.05 });
    // Same seed and data: the first epoch's loss differs by the penalty alone, then the weights stay smaller.
    expect(decayed.losses[0]).toBeGreaterThan(free.losses[0]!);
    expect(decayed.kernelNorm).toBeLessThan(free.kernelNorm * 0.7);
    expect(decayed.losses.every(Number.isFinite)).toBe(true);
  });
});
