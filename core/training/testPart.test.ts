import * as tf from './tf.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec, TrialParams } from '../api/spec.js';
import type { DatasetSplit } from '../data/dataset.js';
import { blobsSplit, linearSplit } from '../../tests/support/syntheticSplits.js';
import { chooseBackend } from './backend.js';
import { TfjsTrainer } from './tfjsTrainer.js';

const mlp: ModelSpec = { type: 'mlp', hidden: [8], activation: 'relu', dropout: 0 };
const adam: TrialParams = { optimizer: 'adam', learningRate: 0.05, batchSize: 16, lrSchedule: 'constant' };

/** The split's validation rows also serve as its test part, so test metrics must equal validation ones. */
function withTestPart(split: DatasetSplit): DatasetSplit {
  return { ...split, testX: split.valX.slice(), testY: split.valY.slice(), testRows: split.valRows };
}

beforeAll(async () => {
  await chooseBackend();
});

describe('TfjsTrainer with a test part', () => {
  it('reports test_loss and test_accuracy each epoch, computed as validation is, and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const trainer = new TfjsTrainer();
    trainer.build(adam, mlp, withTestPart(blobsSplit()), 3, 3);
    for (let epoch = 0; epoch < 3; epoch++) {
      const { metrics } = await trainer.runEpoch(epoch);
      expect(metrics.test_loss).toBeCloseTo(metrics.val_loss as number, 5);
      expect(metrics.test_accuracy).toBeCloseTo(metrics.val_accuracy as number, 5);
    }
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports test_mae in the target\'s units for regression, and nothing test_* without a test part', async () => {
    const split = { ...linearSplit(), targetStd: 250 };
    const trainer = new TfjsTrainer();
    trainer.build(adam, { ...mlp, type: 'linear', hidden: [] }, withTestPart(split), 3, 2);
    const { metrics } = await trainer.runEpoch(0);
    expect(metrics.test_mae).toBeCloseTo(metrics.val_mae as number, 3);
    trainer.dispose();
    const plain = new TfjsTrainer();
    plain.build(adam, mlp, blobsSplit(), 3, 1);
    expect(Object.keys((await plain.runEpoch(0)).metrics).filter((name) => name.startsWith('test_'))).toEqual([]);
    plain.dispose();
  });
});
