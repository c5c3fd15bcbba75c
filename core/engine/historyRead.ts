import type { HistoryPoint } from '../api/contract.js';
import type { Direction } from '../api/domain.js';
import { chartedValue, historyPoint } from '../api/history.js';
import type { Store, TrialQuery } from '../store/store.js';
import { historyOf, nextBest } from './history.js';
import { sampleIndices, type SampledPoint } from './historySample.js';

/**
 * The optimization history of a study, whole or thinned to `columns` pixel columns. Thinned, it
 * reads number, state and value of every trial (a covering-index scan), picks the points to keep,
 * and reads parameters and duration of those only: at 100,000 trials a few thousand rows of JSON
 * instead of 100,000. The same points as sampleHistory(historyOf(every row)).
 */
export async function readHistory(
  store: Store,
  study: { id: number; objective: { direction: Direction } },
  valueAt: TrialQuery['valueAt'],
  columns?: number,
): Promise<HistoryPoint[]> {
  const direction = study.objective.direction;
  if (columns === undefined) return historyOf(await store.historyRows(study.id, valueAt), direction);
  const { numbers, states, values } = await store.historyColumns(study.id, valueAt);
  let best: number | null = null;
  const points: (SampledPoint & { number: number })[] = numbers.map((number, index) => {
    const state = states[index] ?? 'failed';
    const stored = values[index] ?? null;
    const value = chartedValue({ state, value: stored });
    best = nextBest(value, best, direction);
    return { number, state, value, best, ...(state === 'pruned' ? { pruned: { value: stored } } : {}) };
  });
  const kept = sampleIndices(points, columns);
  if (kept === null) return historyOf(await store.historyRows(study.id, valueAt), direction);
  const keptPoints = kept.flatMap((index) => points[index] ?? []);
  const rows = new Map((await store.historyRows(study.id, valueAt, keptPoints.map((point) => point.number))).map((row) => [row.number, row]));
  // State and value as the first read saw them, so every point agrees with its running best.
  return keptPoints.flatMap((point) => {
    const row = rows.get(point.number);
    return row ? [{ ...historyPoint(row, point.best), state: point.state, value: point.value }] : [];
  });
}

/** How many thinned histories a host keeps (each a few thousand points). */
const cachedHistories = 8;

/**
 * Thinned histories of studies nobody is running, kept until anything could have changed them:
 * another process's write moves the store's change mark, and a run, resume or extend here moves
 * the study's status and updatedAt. Reopening a finished 100,000-trial study then costs one
 * change-mark read instead of the whole history read.
 */
export class HistoryCache {
  private readonly entries = new Map<string, { token: string; points: HistoryPoint[] }>();

  constructor(private readonly store: Store) {}

  async read(
    study: { id: number; status: string; updatedAt: number; owner?: unknown; objective: { direction: Direction } },
    valueAt: TrialQuery['valueAt'],
    columns: number | undefined,
    isRunningHere: boolean,
  ): Promise<HistoryPoint[]> {
    if (columns === undefined || isRunningHere || study.status === 'running' || study.owner) {
      return readHistory(this.store, study, valueAt, columns);
    }
    const key = JSON.stringify([study.id, valueAt ?? 'best', columns]);
    // Taken before the read: a write during it leaves a stale token, so the next call reads again.
    const token = JSON.stringify([await this.store.changeMark(), study.status, study.updatedAt]);
    const hit = this.entries.get(key);
    if (hit?.token === token) return hit.points;
    const points = await readHistory(this.store, study, valueAt, columns);
    this.entries.delete(key);
    this.entries.set(key, { token, points });
    const oldest = this.entries.keys().next().value;
    if (this.entries.size > cachedHistories && oldest !== undefined) this.entries.delete(oldest);
    return points;
  }
}
