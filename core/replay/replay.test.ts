import { describe, expect, it } from 'vitest';
import { specWith } from '../../tests/support/specs.js';
import type { TrialParams } from '../api/spec.js';
import type { Recording } from './recording.js';
import { recordingFromCsv } from './recording.js';
import { replayOnce } from './replay.js';
import { quantile, replayAll } from './replaySummary.js';

const spec = { ...specWith({ optimizer: { choice: ['sgd', 'adam'] }, learningRate: { logUniform: [0.001, 0.1], gridPoints: 3 }, batchSize: 32 }), epochs: 4 };
const params = (optimizer: 'sgd' | 'adam', learningRate: number): TrialParams => ({ optimizer, learningRate, batchSize: 32, lrSchedule: 'constant' });
/** Grid order: sgd x 3 rates, then adam x 3 rates. The best (0.1) is adam lr 0.01 at epoch 2. */
const recording: Recording = {
  spec,
  direction: 'minimize',
  trials: [
    { params: params('sgd', 0.001), curve: [0.9, 0.8, 0.7, 0.6] },
    { params: params('sgd', 0.01), curve: [0.8, 0.6, 0.5, 0.4] },
    { params: params('sgd', 0.1), curve: [0.7, 0.5, 0.4, 0.3] },
    { params: params('adam', 0.001), curve: [0.6, 0.4, 0.3, 0.2] },
    { params: params('adam', 0.01), curve: [0.5, 0.3, 0.1, 0.15] },
    { params: params('adam', 0.1), curve: [0.9, 0.9, 0.9, 0.9] },
  ],
};
const base = { seed: 0, tolerance: 0.01, maxEpochs: 48, fixedBudget: 6 };

describe('replayOnce', () => {
  it('counts epochs as one worker spends them, up to the first epoch within tolerance', () => {
    // The grid runs trials 0..3 whole (16 epochs), then 3 epochs of trial 4.
    expect(replayOnce(recording, { ...base, strategy: 'grid', pruner: 'none' })).toEqual({ epochsToTarget: 19, bestAtBudget: 0.6 });
    // 5% tolerance: 0.1 * 1.05 still excludes 0.15 and 0.2, so the same epoch.
    expect(replayOnce(recording, { ...base, strategy: 'grid', pruner: 'none', tolerance: 0.05 }).epochsToTarget).toBe(19);
    // 100%: 0.2 counts, first reached at trial 3's last epoch (12 + 4).
    expect(replayOnce(recording, { ...base, strategy: 'grid', pruner: 'none', tolerance: 1 }).epochsToTarget).toBe(16);
  });

  it('lets the real pruner stop a trial at a rung and pays only the epochs it ran', () => {
    // ASHA (1 epoch, eta 3): every trial of the grid leads its rungs in turn, so none stops.
    expect(replayOnce(recording, { ...base, strategy: 'grid', pruner: 'asha' }).epochsToTarget).toBe(19);
    // Make trial 1 hopeless at its first rung (1.5, beyond trial 0's 0.9 plus the 0.1 noise):
    // it is stopped after 1 epoch, so the target comes 3 epochs sooner.
    const trials = recording.trials.map((trial, k) => (k === 1 ? { ...trial, curve: [1.5, 1.4, 1.3, 1.2] } : trial));
    expect(replayOnce({ ...recording, trials }, { ...base, strategy: 'grid', pruner: 'asha' }).epochsToTarget).toBe(16);
  });

  it('is deterministic for a seed and reaches the target with every strategy', () => {
    for (const strategy of ['random', 'sobol', 'tpe'] as const) {
      const run = replayOnce(recording, { ...base, strategy, pruner: 'hyperband' });
      expect(run).toEqual(replayOnce(recording, { ...base, strategy, pruner: 'hyperband' }));
      expect(run.epochsToTarget).not.toBeNull();
    }
  });
});

describe('replayAll', () => {
  it('reports quartiles over seeds, with null for a quartile no run reached', () => {
    const report = replayAll(recording, { strategies: ['grid'], pruners: ['none'], seeds: 3, tolerance: 0.01 });
    expect(report).toMatchObject({ gridEpochs: 24, best: 0.1, results: [{ strategy: 'grid', pruner: 'none', seeds: 3, reached: 3, epochsToTarget: { median: 19, q1: 19, q3: 19 } }] });
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, Infinity, Infinity], 0.5)).toBeNull();
    expect(quantile([1, 2, 3, Infinity], 0.25)).toBe(1.75);
  });
});

describe('recordingFromCsv', () => {
  it('reads the long-format curves back, one metric, params typed', () => {
    const text = 'trial,optimizer,learningRate,batchSize,lrSchedule,momentum,epoch,metric,value\n0,sgd,0.01,32,constant,,0,val_loss,0.5\n0,sgd,0.01,32,constant,,1,val_loss,0.4\n0,sgd,0.01,32,constant,,0,loss,9\n1,momentum,0.1,32,constant,0.9,0,val_loss,0.3\n';
    const read = recordingFromCsv(text, spec);
    expect(read.trials).toEqual([
      { params: { optimizer: 'sgd', learningRate: 0.01, batchSize: 32, lrSchedule: 'constant' }, curve: [0.5, 0.4] },
      { params: { optimizer: 'momentum', learningRate: 0.1, batchSize: 32, lrSchedule: 'constant', momentum: 0.9 }, curve: [0.3] },
    ]);
  });
});
