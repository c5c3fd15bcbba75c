import * as tf from './tf.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelSpecSchema, type ModelSpec } from '../api/spec.js';
import type { DatasetSplit } from '../data/dataset.js';
import { blobsSplit, linearSplit, tinyImagesSplit } from '../../tests/support/syntheticSplits.js';
import { chooseBackend } from './backend.js';
import { denseGradients, hasDenseGradients } from './denseGradients.js';
import { taskLoss } from './losses.js';
import { buildModel, dropoutMultiplier, forwardLogits, l2Penalty } from './models.js';
import { labels } from './tfjsTrainer.js';

const rows = 12;

/** Both ways on one batch: the hand-worked gradients, and tfjs's tape over the plain objective. */
function bothWays(spec: ModelSpec, split: DatasetSplit, l2?: number, dropoutSeed: number | null = null): { hand: Float32Array[]; tape: Float32Array[] } {
  const model = buildModel(spec, split, 5);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const plan = hasDenseGradients(model, split.task);
  if (!plan) throw new Error('expected a dense plan');
  const x = tf.tensor2d(split.trainX.slice(0, rows * split.featureCount), [rows, split.featureCount]);
  const y = labels(split.task, split.trainY.slice(0, rows), rows);
  const task = taskLoss(split.task, split.classCount, true);
  const tape = tf.variableGrads(() => {
    const loss = task.loss(forwardLogits(model, x, dropoutSeed), y);
    const penalty = l2Penalty(model, l2);
    return penalty ? (tf.add(loss, penalty) as tf.Scalar) : loss;
  }, variables);
  const hand = tf.tidy(() => denseGradients(plan, variables, split.task, x, y, l2, dropoutSeed).grads);
  const result = {
    hand: hand.map((t) => t.dataSync() as Float32Array),
    tape: variables.map((v) => tape.grads[v.name]!.dataSync() as Float32Array),
  };
  tf.dispose([x, y, tape.value, ...Object.values(tape.grads), ...hand]);
  model.dispose();
  return result;
}

function expectClose(a: Float32Array[], b: Float32Array[]): void {
  expect(a.map((t) => t.length)).toEqual(b.map((t) => t.length));
  a.forEach((tensor, i) => tensor.forEach((value, j) => expect(Math.abs(value - b[i]![j]!), `variable ${i}[${j}]`).toBeLessThan(1e-6 + 1e-5 * Math.abs(b[i]![j]!))));
}

describe.each(['wasm', 'cpu'])('Dense gradients by hand on %s', (backend) => {
  beforeAll(async () => {
    await tf.setBackend(backend);
  });
  afterAll(async () => {
    await chooseBackend();
  });

  it.each(['relu', 'tanh', 'sigmoid', 'linear'] as const)('%s MLP, classification: the tape\'s gradients', (activation) => {
    const { hand, tape } = bothWays({ type: 'mlp', hidden: [16, 8], activation, dropout: 0 }, blobsSplit(1, 60, 3, 5));
    expectClose(hand, tape);
  });

  it('regression with L2 weight decay, and a logistic model', () => {
    const withDecay = bothWays({ type: 'mlp', hidden: [8], activation: 'tanh', dropout: 0 }, linearSplit(), 0.01);
    expectClose(withDecay.hand, withDecay.tape);
    const logistic = bothWays(modelSpecSchema.parse({ type: 'logistic' }), blobsSplit());
    expectClose(logistic.hand, logistic.tape);
  });

  it('dropout: the same masks as the forward pass, and tf.dropout\'s multiplier', () => {
    const split = blobsSplit(1, 60, 3, 5);
    const dropped = bothWays({ type: 'mlp', hidden: [16, 8], activation: 'relu', dropout: 0.3 }, split, undefined, 1234);
    expectClose(dropped.hand, dropped.tape);
    const ones = tf.ones([40, 16]);
    const expected = tf.dropout(ones, 0.3, undefined, 99).dataSync();
    const multiplier = dropoutMultiplier([40, 16], 0.3, 99).dataSync();
    expect(Array.from(multiplier)).toEqual(Array.from(expected));
    expect(multiplier.filter((m) => m === 0).length).toBeGreaterThan(100); // the mask does drop
    tf.dispose(ones);
  });

  it('leaves to the tape what it has no rule for: elu, selu, convolutions', () => {
    const split = blobsSplit();
    for (const activation of ['elu', 'selu'] as const) {
      const model = buildModel({ type: 'mlp', hidden: [8], activation, dropout: 0 }, split, 1);
      expect(hasDenseGradients(model, split.task), activation).toBeNull();
      model.dispose();
    }
    const images = tinyImagesSplit();
    const cnn = buildModel(modelSpecSchema.parse({ type: 'cnn', hidden: [8] }), images, 1);
    expect(hasDenseGradients(cnn, images.task)).toBeNull();
    cnn.dispose();
  });
});
