import type { HistoryPoint } from '../../../core/api/contract.js';
import type { Direction } from '../../../core/api/domain.js';
import { formatNumber } from './format.js';

/** Points with a finite objective: the only ones the analysis charts plot. */
export function scored(points: readonly HistoryPoint[]): (HistoryPoint & { value: number })[] {
  return points.filter((point): point is HistoryPoint & { value: number } => point.value !== null && Number.isFinite(point.value));
}

/** Quantile with linear interpolation between order statistics (as numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const lowValue = sorted[low] ?? Number.NaN;
  const highValue = sorted[Math.min(low + 1, sorted.length - 1)] ?? lowValue;
  return lowValue + (highValue - lowValue) * (position - low);
}

/**
 * At most `max` points for line-heavy charts: the best tenth of `max` always, the rest an even
 * stride over the others, so the shape survives and the winners are never dropped.
 */
export function sampleForDisplay<T extends { value: number }>(points: readonly T[], direction: Direction, max: number): T[] {
  if (points.length <= max) return [...points];
  const ranked = [...points].sort((a, b) => (direction === 'maximize' ? b.value - a.value : a.value - b.value));
  const keep = Math.floor(max / 10);
  const rest = ranked.slice(keep);
  const stride = rest.length / (max - keep);
  const sampled = Array.from({ length: max - keep }, (_, index) => rest[Math.floor(index * stride)]).filter((point): point is T => point !== undefined);
  return [...ranked.slice(0, keep), ...sampled];
}

export interface BoxGroups {
  groups: string[];
  /** [min, q1, median, q3, max] per group, the shape ECharts' boxplot series takes. */
  boxes: [number, number, number, number, number][];
  counts: number[];
}

export function boxByGroup(points: readonly HistoryPoint[], key: (point: HistoryPoint) => string): BoxGroups {
  const byGroup = new Map<string, number[]>();
  for (const point of scored(points)) {
    const group = key(point);
    const list = byGroup.get(group);
    if (list) list.push(point.value);
    else byGroup.set(group, [point.value]);
  }
  const groups = [...byGroup.keys()].sort();
  const boxes = groups.map((group) => {
    const sorted = (byGroup.get(group) ?? []).sort((x, y) => x - y);
    return [0, 0.25, 0.5, 0.75, 1].map((q) => quantile(sorted, q)) as [number, number, number, number, number];
  });
  return { groups, boxes, counts: groups.map((group) => byGroup.get(group)?.length ?? 0) };
}

export interface Heatmap {
  lrLabels: string[];
  batchLabels: string[];
  /** [lr index, batch index, best value, trials in the cell]. */
  cells: [number, number, number, number][];
  min: number;
  max: number;
}

const maxLrColumns = 12;

/**
 * Learning-rate columns: each distinct value of a grid, or log-spaced bins (about three a decade,
 * at most 12) when rates were sampled from a range or are too many to show one by one.
 */
function lrBins(rates: number[], isSampled: boolean): { labels: string[]; indexOf: (lr: number) => number } {
  const distinct = [...new Set(rates)].sort((x, y) => x - y);
  if (!isSampled && distinct.length <= maxLrColumns) {
    const position = new Map(distinct.map((lr, index) => [lr, index]));
    return { labels: distinct.map(formatNumber), indexOf: (lr) => position.get(lr) ?? 0 };
  }
  const low = Math.log10(distinct[0] ?? 1);
  const high = Math.log10(distinct[distinct.length - 1] ?? 1);
  const count = Math.max(1, Math.min(maxLrColumns, Math.ceil((high - low) * 3)));
  const width = (high - low) / count || 1;
  // Two significant digits: bin edges are approximate by nature and long labels collide.
  const edge = (index: number) => formatNumber(Number((10 ** (low + index * width)).toPrecision(2)));
  const labels = Array.from({ length: count }, (_, index) => `${edge(index)}–${edge(index + 1)}`);
  const indexOf = (lr: number) => Math.max(0, Math.min(count - 1, Math.floor((Math.log10(lr) - low) / width)));
  return { labels, indexOf };
}

/** Best objective per (learning rate, batch size) cell over finished trials. */
export function lrBatchHeatmap(points: readonly HistoryPoint[], direction: Direction, options: { isSampled?: boolean } = {}): Heatmap {
  const valued = scored(points).filter((point) => point.learningRate > 0);
  const bins = lrBins(valued.map((point) => point.learningRate), options.isSampled ?? false);
  const batches = [...new Set(valued.map((point) => point.batchSize))].sort((x, y) => x - y);
  const batchIndex = new Map(batches.map((size, index) => [size, index]));
  const cells = new Map<number, [number, number, number, number]>();
  for (const point of valued) {
    const x = bins.indexOf(point.learningRate);
    const y = batchIndex.get(point.batchSize) ?? 0;
    const key = x * 100_000 + y;
    const cell = cells.get(key);
    if (!cell) cells.set(key, [x, y, point.value, 1]);
    else {
      cell[3]++;
      if (direction === 'maximize' ? point.value > cell[2] : point.value < cell[2]) cell[2] = point.value;
    }
  }
  const list = [...cells.values()];
  const values = list.map((cell) => cell[2]);
  return {
    lrLabels: bins.labels,
    batchLabels: batches.map(String),
    cells: list,
    min: values.length ? Math.min(...values) : 0,
    max: values.length ? Math.max(...values) : 1,
  };
}

export interface Slice {
  param: 'learningRate' | 'batchSize' | 'optimizer' | 'lrSchedule';
  kind: 'log' | 'value' | 'category';
  categories: string[];
  /** [x, value] pairs; categorical x is the category index plus a small stable jitter. */
  data: [number, number][];
}

/** One scatter per parameter of objective against that parameter. */
export function slices(points: readonly HistoryPoint[]): Slice[] {
  const valued = scored(points);
  const categorical = (param: 'optimizer' | 'lrSchedule'): Slice => {
    const categories = [...new Set(valued.map((point) => point[param]))].sort();
    const index = new Map(categories.map((name, position) => [name, position]));
    // Jitter from the trial number so points spread the same way on every render.
    const jitter = (number: number) => (((number * 2654435761) >>> 0) / 2 ** 32 - 0.5) * 0.5;
    const data = valued.map((point): [number, number] => [(index.get(point[param]) ?? 0) + jitter(point.number), point.value]);
    return { param, kind: 'category', categories, data };
  };
  return [
    { param: 'learningRate', kind: 'log', categories: [], data: valued.map((point) => [point.learningRate, point.value]) },
    { param: 'batchSize', kind: 'log', categories: [], data: valued.map((point) => [point.batchSize, point.value]) },
    categorical('optimizer'),
    categorical('lrSchedule'),
  ];
}
