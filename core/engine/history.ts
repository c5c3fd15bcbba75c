import type { HistoryPoint } from '../api/contract.js';
import type { Direction } from '../api/domain.js';
import { historyPoint, isBetter } from '../api/history.js';
import type { HistoryRow } from '../store/store.js';

/** The running best after a point with `value` (its charted value: null unless complete). */
export function nextBest(value: number | null, best: number | null, direction: Direction): number | null {
  return value !== null && isBetter(value, best, direction) ? value : best;
}

/** Value per trial in trial order with the running best, for the optimization-history chart. */
export function historyOf(trials: readonly HistoryRow[], direction: Direction): HistoryPoint[] {
  let best: number | null = null;
  return trials.map((trial) => {
    const point = historyPoint(trial, null);
    best = nextBest(point.value, best, direction);
    return { ...point, best };
  });
}

/** Seconds left, from the mean duration of finished trials; null until one has finished. */
export function etaSeconds(finishedDurationsMs: readonly number[], remaining: number, workers: number): number | null {
  if (finishedDurationsMs.length === 0) return null;
  if (remaining <= 0) return 0;
  const mean = finishedDurationsMs.reduce((sum, ms) => sum + ms, 0) / finishedDurationsMs.length;
  return Math.round((mean * remaining) / Math.max(1, workers) / 1000);
}
