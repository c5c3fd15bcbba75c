import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec, TrialParams } from '../api/spec.js';
import type { DatasetSplit } from '../data/dataset.js';
import { blobsSplit, linearSplit } from '../../tests/support/syntheticSplits.js';
import { metricMismatches } from '../../tests/support/metricTolerance.js';
import { chooseBackend } from './backend.js';
import { PackedTrainer, type PackMember } from './packedTrainer.js';
import { TfjsTrainer } from './tfjsTrainer.js';
import type { EpochMetrics } from './trainer.js';

const mlp: ModelSpec = { type: 'mlp', hidden: [16], activation: 'relu', dropout: 0 };
const base = { batchSize: 16, lrSchedule: 'constant' } as const;

/** The plain trainer's curve and final weights for one trial. */
async function plain(member: PackMember, model: ModelSpec, split: DatasetSplit, epochs: number): Promise<{ curve: EpochMetrics[]; weights: number[][] }> {
  const trainer = new TfjsTrainer();
  trainer.build(member.params, model, split, member.seed, epochs);
  const curve: EpochMetrics[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const result = await trainer.runEpoch(epoch);
    curve.push(result.metrics);
    if (result.isDiverged) break;
  }
  const weights = trainer.model.getWeights().map((w) => Array.from(w.dataSync()));
  trainer.dispose();
  return { curve, weights };
}

/** Every member's curve through the packed trainer; `during(epoch, trainer)` runs before each epoch. */
async function packed(members: PackMember[], model: ModelSpec, split: DatasetSplit, epochs: number, during?: (epoch: number, trainer: PackedTrainer) => void) {
  const trainer = new PackedTrainer();
  trainer.build(members, model, split, epochs);
  const curves: EpochMetrics[][] = members.map(() => []);
  const ends: string[] = members.map(() => 'complete');
  for (let epoch = 0; epoch < epochs && trainer.activeMembers.length > 0; epoch++) {
    during?.(epoch, trainer);
    const results = await trainer.runEpoch(epoch);
    for (const [member, result] of results) {
      if (result.isStopped) {
        ends[member] = `stopped at ${epoch}`;
        continue;
      }
      curves[member]!.push(result.metrics);
      if (result.isDiverged) {
        ends[member] = `diverged at ${epoch}`;
        trainer.drop(member);
      }
    }
  }
  trainer.dispose();
  return { curves, ends };
}

const rowsOf = (split: DatasetSplit) => ({ train: split.trainRows, val: split.valRows });

beforeAll(async () => {
  await chooseBackend();
});

describe('PackedTrainer', () => {
  it('trains each member as the plain trainer trains it alone (same seed: same curve within 1e-3)', async () => {
    const members: PackMember[] = [
      { params: { ...base, optimizer: 'sgd', learningRate: 0.05 }, seed: 3 },
      { params: { ...base, optimizer: 'adam', learningRate: 0.01, lrSchedule: 'cosine' }, seed: 4 },
      { params: { ...base, optimizer: 'momentum', learningRate: 0.02, momentum: 0.8, lrSchedule: 'step', decaySteps: 2 }, seed: 5 },
      { params: { ...base, optimizer: 'nesterov', learningRate: 0.02, l2: 0.01 }, seed: 6 },
    ];
    const split = blobsSplit();
    const { curves, ends } = await packed(members, mlp, split, 5);
    expect(ends).toEqual(['complete', 'complete', 'complete', 'complete']);
    for (const [index, member] of members.entries()) {
      const alone = await plain(member, mlp, split, 5);
      expect(metricMismatches(alone.curve, curves[index]!, rowsOf(split)), `member ${index}`).toEqual([]);
    }
    // Learnt, not a constant: the members differ and improve.
    expect(curves[1]!.at(-1)!.val_accuracy).toBeGreaterThan(0.85);
    expect(new Set(curves.map((curve) => curve.at(-1)!.loss)).size).toBe(4);
  });

  it('gives each member its own dropout masks and a regression its mae, as alone', async () => {
    const withDropout: ModelSpec = { ...mlp, hidden: [12, 8], activation: 'tanh', dropout: 0.3 };
    const members: PackMember[] = [1, 2].map((seed) => ({ params: { ...base, optimizer: 'adam', learningRate: 0.01 * seed }, seed }));
    const split = blobsSplit(5);
    const { curves } = await packed(members, withDropout, split, 3);
    for (const [index, member] of members.entries()) {
      expect(metricMismatches((await plain(member, withDropout, split, 3)).curve, curves[index]!, rowsOf(split))).toEqual([]);
    }
    const linear: ModelSpec = { ...mlp, type: 'linear' };
    const regression = linearSplit();
    const sgd: PackMember[] = [0.05, 0.1].map((learningRate, i) => ({ params: { ...base, batchSize: 10, optimizer: 'sgd', learningRate }, seed: 9 + i }));
    const fitted = await packed(sgd, linear, regression, 4);
    for (const [index, member] of sgd.entries()) {
      expect(metricMismatches((await plain(member, linear, regression, 4)).curve, fitted.curves[index]!, rowsOf(regression))).toEqual([]);
    }
    expect(fitted.curves[1]!.at(-1)).toHaveProperty('val_mae');
  });

  it('lets one member diverge alone: the others train on exactly as they would alone', async () => {
    const linear: ModelSpec = { ...mlp, type: 'linear' };
    const split = linearSplit();
    const members: PackMember[] = [
      { params: { ...base, batchSize: 10, optimizer: 'sgd', learningRate: 0.05 }, seed: 1 },
      { params: { ...base, batchSize: 10, optimizer: 'sgd', learningRate: 1e6 }, seed: 2 },
      { params: { ...base, batchSize: 10, optimizer: 'adam', learningRate: 0.05 }, seed: 3 },
    ];
    const { curves, ends } = await packed(members, linear, split, 8);
    expect(ends[1]).toMatch(/^diverged at [0-7]$/);
    expect(ends[0]).toBe('complete');
    expect(ends[2]).toBe('complete');
    for (const index of [0, 2]) {
      const alone = await plain(members[index]!, linear, split, 8);
      expect(metricMismatches(alone.curve, curves[index]!, rowsOf(split))).toEqual([]);
      expect(curves[index]!.every((metrics) => Number.isFinite(metrics.loss) && Number.isFinite(metrics.val_loss))).toBe(true);
    }
  });

  it('stops one member mid-epoch (prune or cancel) while the others finish as alone, and leaks no tensor', async () => {
    const before = tf.memory().numTensors;
    const members: PackMember[] = [0.01, 0.02, 0.03].map((learningRate, i) => ({ params: { ...base, optimizer: 'adam', learningRate }, seed: 20 + i }));
    const split = blobsSplit(2, 600);
    const trainer = new PackedTrainer({ yieldEveryMs: 0 });
    trainer.build(members, mlp, split, 4);
    const curves: EpochMetrics[][] = [[], [], []];
    let stoppedAt: { epoch: number; batches: number } | null = null;
    for (let epoch = 0; epoch < 4; epoch++) {
      // Mid-epoch, from an event-loop turn, as the worker's 'stop' message arrives.
      if (epoch === 2) setImmediate(() => trainer.requestStop(1));
      const results = await trainer.runEpoch(epoch);
      for (const [member, result] of results) {
        if (result.isStopped) stoppedAt = { epoch, batches: result.batches };
        else curves[member]!.push(result.metrics);
      }
    }
    expect(stoppedAt?.epoch).toBe(2);
    expect(stoppedAt!.batches).toBeLessThan(Math.ceil(split.trainRows / 16));
    expect(trainer.activeMembers).toEqual([0, 2]);
    expect(curves.map((curve) => curve.length)).toEqual([4, 2, 4]);
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (const index of [0, 2]) {
      expect(metricMismatches((await plain(members[index]!, mlp, split, 4)).curve, curves[index]!, rowsOf(split))).toEqual([]);
    }
  });

  it('refuses members that do not share a pack (another batch size, a cnn, rmsprop)', () => {
    const trainer = new PackedTrainer();
    const members: PackMember[] = [
      { params: { ...base, optimizer: 'sgd', learningRate: 0.1 }, seed: 1 },
      { params: { ...base, batchSize: 32, optimizer: 'sgd', learningRate: 0.1 }, seed: 2 },
    ];
    expect(() => trainer.build(members, mlp, blobsSplit(), 2)).toThrow(/cannot share a pack/);
    expect(() => trainer.build([{ params: { ...base, optimizer: 'rmsprop', learningRate: 0.1 }, seed: 1 }], mlp, blobsSplit(), 2)).toThrow(/cannot share a pack/);
  });
});
