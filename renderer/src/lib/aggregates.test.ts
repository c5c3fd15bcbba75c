import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../../core/api/contract.js';
import { boxByGroup, lrBatchHeatmap, quantile, sampleForDisplay, slices } from './aggregates.js';

function point(number: number, value: number | null, extra: Partial<HistoryPoint> = {}): HistoryPoint {
  return {
    number, trialId: number + 1, value, best: null, state: value === null ? 'failed' : 'complete',
    optimizer: 'adam', learningRate: 0.01, batchSize: 32, lrSchedule: 'constant', durationMs: 10, ...extra,
  };
}

describe('quantile', () => {
  it('interpolates between order statistics', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('boxByGroup', () => {
  it('summarises the objective per optimizer, skipping trials without a value', () => {
    const points = [
      point(0, 1, { optimizer: 'sgd' }), point(1, 3, { optimizer: 'sgd' }), point(2, 2, { optimizer: 'sgd' }),
      point(3, 0.5), point(4, null, { optimizer: 'rmsprop' }),
    ];
    const result = boxByGroup(points, (entry) => entry.optimizer);
    expect(result.groups).toEqual(['adam', 'sgd']);
    expect(result.boxes).toEqual([[0.5, 0.5, 0.5, 0.5, 0.5], [1, 1.5, 2, 2.5, 3]]);
    expect(result.counts).toEqual([1, 3]);
  });
});

describe('lrBatchHeatmap', () => {
  it('bins rates sampled from a range even when there are few, instead of a column per value', () => {
    const rates = [0.0011, 0.0012, 0.0013, 0.0015, 0.004, 0.0045, 0.02, 0.023, 0.025, 0.09];
    const points = rates.map((learningRate, n) => point(n, n / 10, { learningRate }));
    expect(lrBatchHeatmap(points, 'minimize').lrLabels).toHaveLength(10);
    const map = lrBatchHeatmap(points, 'minimize', { isSampled: true });
    expect(map.lrLabels).toHaveLength(6); // 1.9 decades, about three bins each
    expect(map.lrLabels[0]).toMatch(/^0\.0011–/);
    // The four rates under 0.0023 share the first bin; its cell keeps the best value.
    expect(map.cells.find((cell) => cell[0] === 0)).toEqual([0, 0, 0, 4]);
  });


  it('keeps the best value per grid cell', () => {
    const points = [
      point(0, 0.4, { learningRate: 0.1, batchSize: 16 }),
      point(1, 0.2, { learningRate: 0.1, batchSize: 16 }),
      point(2, 0.3, { learningRate: 0.01, batchSize: 64 }),
    ];
    const map = lrBatchHeatmap(points, 'minimize');
    expect(map.lrLabels).toEqual(['0.01', '0.1']);
    expect(map.batchLabels).toEqual(['16', '64']);
    expect(map.cells).toEqual([[1, 0, 0.2, 2], [0, 1, 0.3, 1]]);
    expect([map.min, map.max]).toEqual([0.2, 0.3]);
    expect(lrBatchHeatmap(points, 'maximize').cells[0]).toEqual([1, 0, 0.4, 2]);
  });

  it('bins sampled rates on a log scale into at most 12 columns', () => {
    const points = Array.from({ length: 100 }, (_, n) => point(n, n, { learningRate: 10 ** (-4 + (3 * n) / 99) }));
    const map = lrBatchHeatmap(points, 'minimize');
    expect(map.lrLabels).toHaveLength(9); // three decades, three bins each
    expect(map.lrLabels[0]).toBe('1.00e-4–2.20e-4');
    const columns = new Set(map.cells.map((cell) => cell[0]));
    expect(Math.min(...columns)).toBe(0);
    expect(Math.max(...columns)).toBe(8);
    expect(map.cells.reduce((sum, cell) => sum + cell[3], 0)).toBe(100);
  });
});

describe('slices', () => {
  it('plots numeric params as is and categories with a bounded, stable jitter', () => {
    const points = [point(0, 0.5, { optimizer: 'sgd' }), point(1, 0.7), point(2, null)];
    const [lr, batch, optimizer] = slices(points);
    expect(lr?.data).toEqual([[0.01, 0.5], [0.01, 0.7]]);
    expect(batch?.data).toEqual([[32, 0.5], [32, 0.7]]);
    expect(optimizer?.categories).toEqual(['adam', 'sgd']);
    const [sgdX, adamX] = (optimizer?.data ?? []).map((pair) => pair[0]);
    expect(Math.abs((sgdX ?? 0) - 1)).toBeLessThanOrEqual(0.25);
    expect(Math.abs(adamX ?? 9)).toBeLessThanOrEqual(0.25);
    expect(slices(points)[2]?.data).toEqual(optimizer?.data);
  });
});

describe('sampleForDisplay', () => {
  it('keeps everything under the cap', () => {
    const points = [{ value: 2 }, { value: 1 }];
    expect(sampleForDisplay(points, 'minimize', 5)).toEqual(points);
  });

  it('keeps the best tenth and strides over the rest', () => {
    const points = Array.from({ length: 1000 }, (_, n) => ({ value: n }));
    const sample = sampleForDisplay(points, 'minimize', 100);
    expect(sample).toHaveLength(100);
    expect(sample.slice(0, 10).map((point) => point.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sample[10]?.value).toBe(10);
    expect(sample[99]?.value).toBe(10 + Math.floor((89 * 990) / 90));
    expect(sampleForDisplay(points, 'maximize', 100)[0]?.value).toBe(999);
  });
});
