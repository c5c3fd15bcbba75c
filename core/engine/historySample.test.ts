import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../api/contract.js';
import type { HistoryRow } from '../store/store.js';
import { historyOf } from './history.js';
import { sampleHistory } from './historySample.js';

/** A seeded history: mostly complete trials, some failed, the last few still running. */
function makeHistory(count: number): HistoryPoint[] {
  let state = 7;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows: HistoryRow[] = Array.from({ length: count }, (_, number) => {
    const failed = random() < 0.05;
    return {
      trialId: number + 1,
      epochsRun: 3,
      number,
      state: number >= count - 3 ? 'running' : failed ? 'failed' : 'complete',
      value: number >= count - 3 || failed ? null : random(),
      durationMs: 10,
      params: { optimizer: 'adam', learningRate: 0.01, batchSize: 16, lrSchedule: 'constant' },
    };
  });
  return historyOf(rows, 'minimize');
}

const bestSteps = (points: readonly HistoryPoint[]) => {
  const steps: [number, number | null][] = [];
  for (const point of points) if (steps.at(-1)?.[1] !== point.best) steps.push([point.number, point.best]);
  return steps;
};

describe('sampleHistory', () => {
  it('returns a short history whole', () => {
    const points = makeHistory(300);
    expect(sampleHistory(points, 100)).toEqual(points);
  });

  it('thins 100,000 trials to a few points per column and keeps what the chart shows', () => {
    const points = makeHistory(100_000);
    const columns = 1000;
    const sampled = sampleHistory(points, columns);
    expect(sampled.length).toBeLessThan(columns * 5);
    // Still in trial order, each point unchanged.
    const byNumber = new Map(points.map((point) => [point.number, point]));
    sampled.forEach((point, index) => {
      expect(point).toBe(byNumber.get(point.number));
      if (index > 0) expect(point.number).toBeGreaterThan(sampled[index - 1]?.number ?? Infinity);
    });
    // The best-so-far line is exact, and every column's lowest and highest value is drawn.
    expect(bestSteps(sampled)).toEqual(bestSteps(points));
    const kept = new Set(sampled.map((point) => point.number));
    const width = points.length / columns;
    for (let column = 0; column < columns; column++) {
      const slice = points.slice(Math.floor(column * width), Math.floor((column + 1) * width)).filter((point) => point.value !== null);
      const values = slice.map((point) => point.value ?? 0);
      const low = Math.min(...values);
      const high = Math.max(...values);
      expect(sampled.some((point) => kept.has(point.number) && point.value === low && slice.includes(point))).toBe(true);
      expect(sampled.some((point) => point.value === high && slice.includes(point))).toBe(true);
    }
    // Running trials stay, so live updates patch them in place; the last trial ends the line.
    expect(sampled.filter((point) => point.state === 'running')).toHaveLength(3);
    expect(sampled.at(-1)).toBe(points.at(-1));
  });
});
