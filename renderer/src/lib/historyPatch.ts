import type { HistoryPoint } from '../../../core/api/contract.js';
import type { Direction, Trial } from '../../../core/api/domain.js';
import { historyPoint, isBetter } from '../../../core/api/history.js';

export function pointOf(trial: Trial): HistoryPoint {
  return historyPoint({ ...trial, trialId: trial.id }, null);
}

/**
 * Applies live trial updates to the history (sorted by trial number) without refetching it,
 * recomputing best-so-far only from the first changed trial on. Returns a new array so a
 * shallowRef sees the change; untouched points are shared, not copied.
 */
export function patchHistory(points: readonly HistoryPoint[], trials: Iterable<Trial>, direction: Direction): HistoryPoint[] {
  const next = [...points];
  let firstChanged = Infinity;
  for (const trial of trials) {
    const point = pointOf(trial);
    let index = next.length > 0 && (next[next.length - 1]?.number ?? -1) < point.number ? next.length : -1;
    if (index < 0) {
      // Binary search by trial number: history is sorted and may hold 10,000+ points.
      let low = 0;
      let high = next.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((next[mid]?.number ?? 0) < point.number) low = mid + 1;
        else high = mid;
      }
      index = low;
    }
    if (next[index]?.number === point.number) next[index] = point;
    else next.splice(index, 0, point);
    firstChanged = Math.min(firstChanged, index);
  }
  if (firstChanged === Infinity) return next;
  let best = firstChanged > 0 ? (next[firstChanged - 1]?.best ?? null) : null;
  for (let index = firstChanged; index < next.length; index++) {
    const point = next[index];
    if (!point) continue;
    if (point.value !== null && isBetter(point.value, best, direction)) best = point.value;
    if (point.best !== best) next[index] = { ...point, best };
  }
  return next;
}
