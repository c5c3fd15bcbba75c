import type { HistoryPoint } from '../../../core/api/contract.js';
import { formatNumber } from '../lib/format.js';
import { metricAxisRange } from './axisRange.js';
import type { ChartOption } from './setup.js';

/** Above this many points ECharts switches scatter to its large (batched canvas) mode. */
const largeThreshold = 2000;

const isFinished = (point: HistoryPoint) => point.state !== 'queued' && point.state !== 'running';

/** The pruned series' name (legend, tooltip): each mark is a trial the pruner stopped early. */
export const prunedSeriesName = 'pruned (last value)';

/**
 * Objective per trial (scatter), best-so-far (step line) and pruned trials as triangles at the
 * value they last reported, with the epoch they stopped at in the tooltip (never in the best).
 * The best line keeps only the points where the best changes, so 10,000 trials usually plot a
 * few dozen line vertices; it ends at the last finished trial, since nothing is known yet about
 * queued or running ones.
 */
export function historyOption(points: readonly HistoryPoint[], metric: string): ChartOption {
  // Flat [x0, y0, x1, y1, ...]: ECharts takes a typed array as is, where 10,000 small arrays
  // would be cloned and copied into its own store on every setOption.
  const values = new Float64Array(points.length * 2);
  let count = 0;
  let low = Infinity;
  let high = -Infinity;
  const best: [number, number][] = [];
  let lastBest: number | null = null;
  let lastFinished: number | null = null;
  const pruned: [number, number, number][] = [];
  for (const point of points) {
    if (point.pruned && point.pruned.value !== null && Number.isFinite(point.pruned.value)) {
      pruned.push([point.number, point.pruned.value, point.pruned.epoch]);
      if (point.pruned.value < low) low = point.pruned.value;
      if (point.pruned.value > high) high = point.pruned.value;
    }
    if (point.value !== null) {
      values[count * 2] = point.number;
      values[count * 2 + 1] = point.value;
      count++;
      if (point.value < low) low = point.value;
      if (point.value > high) high = point.value;
    }
    if (point.best !== null && point.best !== lastBest) {
      best.push([point.number, point.best]);
      lastBest = point.best;
    }
    if (isFinished(point)) lastFinished = point.number;
  }
  if (lastFinished !== null && lastBest !== null && (best.at(-1)?.[0] ?? -1) < lastFinished) best.push([lastFinished, lastBest]);
  const range = metricAxisRange(metric, count + pruned.length > 0 ? [low, high] : []);
  const isLarge = count > largeThreshold;
  return {
    // Live batches arrive a few times a second; animation would restart on each and never settle.
    animation: false,
    // Fixed margins: 'none' skips a second axis-label layout pass that only moves the grid.
    grid: { left: 56, right: 24, top: 36, bottom: 56, outerBoundsMode: 'none' },
    legend: { data: [metric, 'best so far', ...(pruned.length > 0 ? [prunedSeriesName] : [])], top: 4 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 28, min: 0, minInterval: 1 },
    yAxis: { type: 'value', name: metric, scale: true, ...range },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }, { type: 'slider', xAxisIndex: 0, height: 16, bottom: 6, showDataShadow: !isLarge }],
    series: [
      {
        name: metric,
        type: 'scatter',
        data: values.subarray(0, count * 2),
        dimensions: ['trial', metric],
        symbolSize: isLarge ? 3 : 7,
        large: isLarge,
        largeThreshold,
        // One frame up to 20,000 points: large mode draws them in one path, and a second
        // progressive frame only delays 'finished'.
        progressive: 5000,
        progressiveThreshold: 20_000,
        // See-through only where points pile up; faded points vanish on the dark background.
        itemStyle: { opacity: isLarge ? 0.7 : 1 },
      },
      { name: 'best so far', type: 'line', data: best, step: 'end', showSymbol: false, lineStyle: { width: 2 }, z: 3 },
      {
        name: prunedSeriesName,
        type: 'scatter',
        data: pruned,
        dimensions: ['trial', metric, 'epoch'],
        symbol: 'triangle',
        symbolSize: isLarge ? 5 : 9,
        // Opaque like the objective's points (ECharts fades scatter marks by default).
        itemStyle: { opacity: 1 },
        large: pruned.length > largeThreshold,
        largeThreshold,
        tooltip: {
          formatter: (item) => {
            const [trial, value, epoch] = Array.isArray(item.value) ? item.value : [];
            return `trial #${String(trial)} pruned at epoch ${String(epoch)}<br/>${metric} ${formatNumber(typeof value === 'number' ? value : null)} (last reported)`;
          },
        },
      },
    ],
  };
}
