import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../../core/api/contract.js';
import { slices } from '../lib/aggregates.js';
import { heatmapOption, sliceOption } from './analysisOptions.js';

function point(number: number, optimizer: string, value: number): HistoryPoint {
  return { number, trialId: number + 1, value, best: null, state: 'complete', optimizer, learningRate: 0.01 * (number + 1), batchSize: 32, lrSchedule: 'constant', durationMs: 5 };
}

interface CategoryAxis {
  axisLabel: { customValues: number[]; formatter: (value: number) => string };
  axisTick: { customValues: number[] };
}

describe('sliceOption for a categorical parameter', () => {
  it('labels each category at the position its points sit around', () => {
    const points = [point(0, 'rmsprop', 0.3), point(1, 'adam', 0.9), point(2, 'sgd', 0.5), point(3, 'adam', 0.8)];
    const slice = slices(points).find((entry) => entry.param === 'optimizer')!;
    const axis = sliceOption(slice, 'val_accuracy')!.xAxis as CategoryAxis;
    expect(axis.axisLabel.customValues).toEqual([0, 1, 2]);
    expect(axis.axisTick.customValues).toEqual([0, 1, 2]);
    // adam's two points (0.9 and 0.8) sit within a quarter of the position labelled "adam".
    const adamAt = axis.axisLabel.customValues.find((value) => axis.axisLabel.formatter(value) === 'adam')!;
    const adamPoints = slice.data.filter(([, value]) => value >= 0.8);
    expect(adamPoints).toHaveLength(2);
    for (const [x] of adamPoints) expect(Math.abs(x - adamAt)).toBeLessThanOrEqual(0.25);
  });
});

describe('heatmapOption', () => {
  it('says which value a cell shows', () => {
    const option = heatmapOption([point(0, 'adam', 0.5)], 'val_loss', 'minimize')!;
    expect((option.title as { text: string }).text).toBe('Each cell: the lowest val_loss of its trials, over all optimizers and schedules');
  });
});
