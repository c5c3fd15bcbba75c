import type { HistoryPoint } from '../api/contract.js';
import type { TrialState } from '../api/domain.js';

/** Below this many points per column the whole history is cheaper to send than to thin. */
const pointsPerColumnToSample = 4;

/** What thinning reads of a point: its charted value (null unless complete), running best and state. */
export type SampledPoint = Pick<HistoryPoint, 'value' | 'best'> & { state: TrialState };

/**
 * Which points a chart `columns` pixels wide needs to show a history unchanged: per column (an
 * equal slice of the trials) the lowest and highest value, every point where the running best
 * changes (so the best-so-far line is exact), trials still queued or running (live updates patch
 * them) and the column's last point. Indices in order; null when the history is short enough to
 * send whole. A 100,000-trial study keeps a few thousand points.
 */
export function sampleIndices(points: readonly SampledPoint[], columns: number): number[] | null {
  if (points.length <= columns * pointsPerColumnToSample) return null;
  const kept: number[] = [];
  const width = points.length / columns;
  let previousBest: number | null = null;
  for (let column = 0; column < columns; column++) {
    const start = Math.floor(column * width);
    const end = Math.min(points.length, Math.floor((column + 1) * width));
    let low = -1;
    let high = -1;
    const keep = new Set<number>([end - 1]);
    for (let index = start; index < end; index++) {
      const point = points[index];
      if (!point) continue;
      if (point.best !== previousBest) keep.add(index);
      previousBest = point.best;
      if (point.state === 'queued' || point.state === 'running') keep.add(index);
      if (point.value === null) continue;
      if (low < 0 || point.value < (points[low]?.value ?? Infinity)) low = index;
      if (high < 0 || point.value > (points[high]?.value ?? -Infinity)) high = index;
    }
    if (low >= 0) keep.add(low);
    if (high >= 0) keep.add(high);
    kept.push(...[...keep].sort((a, b) => a - b));
  }
  return kept;
}

/** The points of `sampleIndices` (the whole history when it is short). */
export function sampleHistory(points: readonly HistoryPoint[], columns: number): HistoryPoint[] {
  const kept = sampleIndices(points, columns);
  return kept === null ? [...points] : kept.flatMap((index) => points[index] ?? []);
}
