import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../../core/api/contract.js';
import type { Direction } from '../../../core/api/domain.js';
import { patchHistory, pointOf } from './historyPatch.js';
import { makeTrial } from '../../../tests/support/trialFixtures.js';

function history(values: (number | null)[], direction: Direction = 'minimize'): HistoryPoint[] {
  const trials = values.map((value, number) =>
    makeTrial({ id: number + 1, number, value, state: value === null ? 'running' : 'complete' }),
  );
  return patchHistory([], trials, direction);
}

describe('patchHistory', () => {
  it('builds best-so-far for a minimized objective', () => {
    const points = history([0.5, 0.7, 0.3, null, 0.4]);
    expect(points.map((point) => point.best)).toEqual([0.5, 0.5, 0.3, 0.3, 0.3]);
  });

  it('fills a finished trial in place and recomputes best only from there', () => {
    const before = history([0.5, null, 0.4]);
    const after = patchHistory(before, [makeTrial({ id: 2, number: 1, value: 0.1 })], 'minimize');
    expect(after.map((point) => point.value)).toEqual([0.5, 0.1, 0.4]);
    expect(after.map((point) => point.best)).toEqual([0.5, 0.1, 0.1]);
    expect(after[0]).toBe(before[0]);
    expect(before[1]?.value).toBeNull();
  });

  it('appends and inserts new trial numbers in order', () => {
    const before = history([0.5, 0.6], 'maximize');
    const after = patchHistory(
      before,
      [makeTrial({ id: 9, number: 5, value: 0.9 }), makeTrial({ id: 7, number: 3, state: 'running', value: null })],
      'maximize',
    );
    expect(after.map((point) => point.number)).toEqual([0, 1, 3, 5]);
    expect(after.map((point) => point.best)).toEqual([0.5, 0.6, 0.6, 0.9]);
  });

  it('maps a trial to its history point', () => {
    const point = pointOf(makeTrial({ id: 3, number: 2, durationMs: 50 }));
    expect(point).toEqual({
      number: 2, trialId: 3, value: 0.9, best: null, state: 'complete', optimizer: 'adam',
      learningRate: 0.01, batchSize: 32, lrSchedule: 'constant', durationMs: 50,
    });
  });

  it('ignores the value of a trial that is not complete', () => {
    const after = patchHistory([], [makeTrial({ number: 0, state: 'pruned', value: 0.01 })], 'minimize');
    expect(after[0]?.value).toBeNull();
    expect(after[0]?.best).toBeNull();
  });
});
