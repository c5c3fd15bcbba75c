import type { HistoryPoint } from '../api/contract.js';

/** Below this many points per column the whole history is cheaper to send than to thin. */
const pointsPerColumnToSample = 4;

/**
 * Thins a history for a chart `columns` pixels wide without changing what it shows: per column
 * (an equal slice of the trials) the lowest and highest value, every point where the running best
 * changes (so the best-so-far line is exact), trials still queued or running (live updates patch
 * them) and the column's last point. A 100,000-trial study becomes a few thousand points.
 */
export function sampleHistory(points: readonly HistoryPoint[], columns: number): HistoryPoint[] {
  if (points.length <= columns * pointsPerColumnToSample) return [...points];
  const kept: HistoryPoint[] = [];
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
    for (const index of [...keep].sort((a, b) => a - b)) {
      const point = points[index];
      if (point) kept.push(point);
    }
  }
  return kept;
}
