import type { HistoryPoint } from '../api/contract.js';
import type { TrialState } from '../api/domain.js';

/** Below this many points per column the whole history is cheaper to send than to thin. */
const pointsPerColumnToSample = 4;

/** What thinning reads of a point: its charted value (null unless complete), running best, state, pruned mark. */
export type SampledPoint = Pick<HistoryPoint, 'value' | 'best'> & { state: TrialState; pruned?: { value: number | null } };

/** The lowest and highest of one kind of mark in a column (indices; -1 for none). */
class Extremes {
  low = -1;
  high = -1;
  private lowValue = Infinity;
  private highValue = -Infinity;

  add(index: number, value: number | null | undefined): void {
    if (value === null || value === undefined) return;
    if (this.low < 0 || value < this.lowValue) [this.low, this.lowValue] = [index, value];
    if (this.high < 0 || value > this.highValue) [this.high, this.highValue] = [index, value];
  }

  keepInto(keep: Set<number>): void {
    if (this.low >= 0) keep.add(this.low);
    if (this.high >= 0) keep.add(this.high);
  }
}

/**
 * Which points a chart `columns` pixels wide needs to show a history unchanged: per column (an
 * equal slice of the trials) the lowest and highest value, the lowest and highest pruned mark
 * (else a column of pruned trials would show none), every point where the running best
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
    const values = new Extremes();
    const prunedMarks = new Extremes();
    const keep = new Set<number>([end - 1]);
    for (let index = start; index < end; index++) {
      const point = points[index];
      if (!point) continue;
      if (point.best !== previousBest) keep.add(index);
      previousBest = point.best;
      if (point.state === 'queued' || point.state === 'running') keep.add(index);
      values.add(index, point.value);
      prunedMarks.add(index, point.pruned?.value);
    }
    values.keepInto(keep);
    prunedMarks.keepInto(keep);
    kept.push(...[...keep].sort((a, b) => a - b));
  }
  return kept;
}

/** The points of `sampleIndices` (the whole history when it is short). */
export function sampleHistory(points: readonly HistoryPoint[], columns: number): HistoryPoint[] {
  const kept = sampleIndices(points, columns);
  return kept === null ? [...points] : kept.flatMap((index) => points[index] ?? []);
}
