import { describe, expect, it } from 'vitest';
import { compareRows, finalMetrics, visibleRows } from './compareDiff.js';
import { makeTrial } from '../../../tests/support/trialFixtures.js';

const a = makeTrial({ id: 1, number: 0 });
const b = makeTrial({
  id: 2,
  number: 1,
  params: { optimizer: 'momentum', learningRate: 0.01, batchSize: 32, lrSchedule: 'constant', momentum: 0.9 },
  value: 0.8,
  durationMs: 61_000,
});

describe('compareRows', () => {
  it('lines params up in a fixed order and marks the ones that differ', () => {
    const rows = compareRows([a, b]);
    const params = rows.filter((entry) => entry.key.startsWith('params.'));
    expect(params.map((entry) => [entry.label, entry.differs])).toEqual([
      ['optimizer', true],
      ['learningRate', false],
      ['batchSize', false],
      ['lrSchedule', false],
      ['momentum', true],
    ]);
    expect(params.find((entry) => entry.label === 'momentum')?.values).toEqual(['—', '0.9']);
  });

  it('formats run facts and compares raw values, not their text', () => {
    const c = makeTrial({ id: 3, params: { ...a.params, learningRate: 0.0100001 } });
    const rows = compareRows([a, c]);
    const lr = rows.find((entry) => entry.key === 'params.learningRate');
    expect(lr?.values).toEqual(['0.01', '0.01']);
    expect(lr?.differs).toBe(true);
    expect(compareRows([a, b]).find((entry) => entry.key === 'durationMs')?.values).toEqual(['1.0 s', '1m 01s']);
  });

  it('keeps only differing rows when asked', () => {
    const keys = visibleRows(compareRows([a, b]), true).map((entry) => entry.key);
    expect(keys).toEqual(['params.optimizer', 'params.momentum', 'value', 'durationMs']);
    expect(visibleRows(compareRows([a, b]), false)).toHaveLength(12);
  });
});

describe('finalMetrics', () => {
  it('takes the last epoch of each metric and picks the better trial by metric kind', () => {
    const points = [
      { trialId: 1, epoch: 0, name: 'val_loss', value: 0.9 },
      { trialId: 1, epoch: 1, name: 'val_loss', value: 0.5 },
      { trialId: 2, epoch: 1, name: 'val_loss', value: 0.7 },
      { trialId: 2, epoch: 0, name: 'val_loss', value: 0.2 },
      { trialId: 1, epoch: 1, name: 'val_accuracy', value: 0.8 },
      { trialId: 2, epoch: 1, name: 'val_accuracy', value: 0.85 },
    ];
    const rows = finalMetrics(points, [1, 2, 3]);
    expect(rows.map((entry) => entry.name)).toEqual(['val_accuracy', 'val_loss']);
    expect(rows[1]).toEqual({ name: 'val_loss', values: [0.5, 0.7, null], text: ['0.5', '0.7', '—'], bestIndex: 0 });
    expect(rows[0]?.bestIndex).toBe(1);
  });

  it('marks no best on a tie, for the learning rate or for timings', () => {
    const points = [
      { trialId: 1, epoch: 0, name: 'accuracy', value: 1 },
      { trialId: 2, epoch: 0, name: 'accuracy', value: 1 },
      { trialId: 1, epoch: 0, name: 'epoch_ms', value: 5.9 },
      { trialId: 2, epoch: 0, name: 'epoch_ms', value: 39.6 },
      { trialId: 1, epoch: 0, name: 'lr', value: 0.1 },
      { trialId: 2, epoch: 0, name: 'lr', value: 0.01 },
    ];
    expect(finalMetrics(points, [1, 2]).map((row) => row.bestIndex)).toEqual([null, null, null]);
  });
});
