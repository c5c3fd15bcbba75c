import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../../core/api/contract.js';
import { historyOption } from './historyOption.js';

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

type Series = { data: [number, number][]; large?: boolean };

describe('historyOption', () => {
  it('plots every valued trial and only the change points of the best line', () => {
    const option = historyOption(points(10), 'val_loss');
    const [scatter, line] = option.series as Series[];
    expect(scatter?.data.map((pair) => pair[0])).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
    expect(line?.data.map((pair) => pair[0])).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9, 9]);
    expect(scatter?.large).toBe(false);
    expect(option.animation).toBe(false);
  });

  it('builds 10,000 trials in large mode quickly, with a compact best line', () => {
    const input = points(10_000);
    const started = performance.now();
    const option = historyOption(input, 'val_loss');
    const elapsed = performance.now() - started;
    const [scatter, line] = option.series as Series[];
    expect(scatter?.large).toBe(true);
    expect(scatter?.data).toHaveLength(10_000 - Math.ceil((10_000 - 3) / 7));
    expect(line?.data.length).toBeLessThan(20);
    expect(line?.data.at(-1)).toEqual([9999, input[9999]?.best]);
    expect(option.animation).toBe(false);
    expect(elapsed).toBeLessThan(100);
  });
});
