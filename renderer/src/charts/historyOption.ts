import type { HistoryPoint } from '../../../core/api/contract.js';
import type { ChartOption } from './setup.js';

/** Above this many points ECharts switches scatter to its large (batched canvas) mode. */
const largeThreshold = 2000;

/**
 * Objective per trial (scatter) and best-so-far (step line). The best line keeps only the
 * points where the best changes, so 10,000 trials usually plot a few dozen line vertices.
 */
export function historyOption(points: readonly HistoryPoint[], metric: string): ChartOption {
  const values: [number, number][] = [];
  const best: [number, number][] = [];
  let lastBest: number | null = null;
  for (const point of points) {
    if (point.value !== null) values.push([point.number, point.value]);
    if (point.best !== null && point.best !== lastBest) {
      best.push([point.number, point.best]);
      lastBest = point.best;
    }
  }
  const last = points[points.length - 1];
  if (last && lastBest !== null) best.push([last.number, lastBest]);
  const isLarge = values.length > largeThreshold;
  return {
    // Live batches arrive a few times a second; animation would restart on each and never settle.
    animation: false,
    grid: { left: 56, right: 24, top: 36, bottom: 56 },
    legend: { data: [metric, 'best so far'], top: 4 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', name: 'trial', nameLocation: 'middle', nameGap: 28, min: 0, minInterval: 1 },
    yAxis: { type: 'value', name: metric, scale: true },
    dataZoom: [{ type: 'inside', xAxisIndex: 0 }, { type: 'slider', xAxisIndex: 0, height: 16, bottom: 6, showDataShadow: !isLarge }],
    series: [
      {
        name: metric,
        type: 'scatter',
        data: values,
        symbolSize: isLarge ? 3 : 6,
        large: isLarge,
        largeThreshold,
        progressive: 5000,
        itemStyle: { opacity: 0.65 },
      },
      { name: 'best so far', type: 'line', data: best, step: 'end', showSymbol: false, lineStyle: { width: 2 }, z: 3 },
    ],
  };
}
