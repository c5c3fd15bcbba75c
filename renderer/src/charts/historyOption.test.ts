import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../../core/api/contract.js';
import { historyOption, prunedSeriesName } from './historyOption.js';

function points(count: number): HistoryPoint[] {
  let best = Infinity;
  return Array.from({ length: count }, (_, number) => {
    const value = number % 7 === 3 ? null : 1 / (1 + (number % 13)) + number * 1e-6;
    if (value !== null) best = Math.min(best, value);
    return {
      number, trialId: number + 1, value, best: Number.isFinite(best) ? best : null, state: value === null ? 'failed' : 'complete',
      optimizer: 'adam', learningRate: 0.01, batchSize: 32, lrSchedule: 'constant', durationMs: 1,
    } satisfies HistoryPoint;
  });
}

type Series = { data: ArrayLike<number> | [number, number][]; large?: boolean };

/** x values of a series, whether its data is pairs or a flat typed array. */
function xs(series: Series | undefined): number[] {
  const data = series?.data ?? [];
  if (data instanceof Float64Array) return Array.from(data).filter((_, index) => index % 2 === 0);
  return Array.from(data as [number, number][], (pair) => pair[0]);
}

describe('historyOption', () => {
  it('plots every valued trial and only the change points of the best line', () => {
    const option = historyOption(points(10), 'val_loss');
    const [scatter, line] = option.series as Series[];
    expect(xs(scatter)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
    expect(xs(line)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
    expect(scatter?.large).toBe(false);
    expect(option.animation).toBe(false);
  });

  it('ends the best line at the last finished trial, not at queued or running ones', () => {
    const input = points(30).map((point, index) => (index >= 20 ? { ...point, value: null, state: 'running' as const } : point));
    const [, line] = historyOption(input, 'val_loss').series as Series[];
    expect(xs(line).at(-1)).toBe(19);
  });

  it('marks pruned trials as triangles at their last value, the stopping epoch in the tooltip', () => {
    const input = points(6).map((point) => (point.number === 4 ? { ...point, value: null, state: 'pruned' as const, pruned: { value: 2.5, epoch: 3 } } : point));
    const option = historyOption(input, 'val_loss');
    const series = option.series as (Series & { name: string; symbol?: string; tooltip?: { formatter: (item: { value: unknown }) => string } })[];
    const pruned = series.find((entry) => entry.name === prunedSeriesName);
    expect(pruned?.symbol).toBe('triangle');
    expect(pruned?.data).toEqual([[4, 2.5, 3]]);
    expect(pruned?.tooltip?.formatter({ value: [4, 2.5, 3] })).toBe('trial #4 pruned at epoch 3<br/>val_loss 2.5 (last reported)');
    // Not a value of the objective series, and the axis reaches up to it.
    expect(xs(series[0])).not.toContain(4);
    expect((option.legend as { data: string[] }).data).toContain(prunedSeriesName);
  });

  it('keeps an accuracy axis inside [0, 1]', () => {
    const input = points(10).map((point) => ({ ...point, value: point.value === null ? null : 0.9 + (point.number % 3) * 0.05 }));
    const yAxis = historyOption(input, 'val_accuracy').yAxis as { min: number; max: number };
    expect(yAxis.max).toBe(1);
    expect(yAxis.min).toBeGreaterThanOrEqual(0.8);
  });

  it('builds 10,000 trials in large mode quickly, with a compact best line', () => {
    const input = points(10_000);
    const started = performance.now();
    const option = historyOption(input, 'val_loss');
    const elapsed = performance.now() - started;
    const [scatter, line] = option.series as Series[];
    expect(scatter?.large).toBe(true);
    expect(xs(scatter)).toHaveLength(10_000 - Math.ceil((10_000 - 3) / 7));
    expect(line?.data.length).toBeLessThan(20);
    expect((line?.data as [number, number][]).at(-1)).toEqual([9999, input[9999]?.best]);
    expect(option.animation).toBe(false);
    expect(elapsed).toBeLessThan(100);
  });
});
