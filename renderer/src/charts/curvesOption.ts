import type { MetricPoint } from '../../../core/api/domain.js';
import { metricAxisRange } from './axisRange.js';
import type { ChartOption } from './setup.js';

/** Metric names present in the points, objective-like names first. */
export function metricNamesOf(points: readonly MetricPoint[]): string[] {
  const order = ['val_loss', 'loss', 'val_accuracy', 'accuracy', 'val_mae', 'mae', 'lr'];
  const names = [...new Set(points.map((point) => point.name))];
  return names.sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
}

/**
 * One line per trial for one metric, overlaid (learning curves and compare), in `order`: the
 * n-th trial is the n-th series, so it gets the n-th palette colour whatever has data.
 */
export function curvesOption(
  points: readonly MetricPoint[],
  metric: string,
  labels: ReadonlyMap<number, string>,
  order: readonly number[],
): ChartOption | null {
  const byTrial = new Map<number, [number, number][]>(order.map((trialId) => [trialId, []]));
  const values: number[] = [];
  for (const point of points) {
    if (point.name !== metric) continue;
    const list = byTrial.get(point.trialId);
    if (!list) continue;
    list.push([point.epoch + 1, point.value]); // epochs read from 1
    values.push(point.value);
  }
  if (values.length === 0) return null;
  const series = [...byTrial.entries()].map(([trialId, data]) => ({
    name: labels.get(trialId) ?? `trial ${trialId}`,
    type: 'line' as const,
    data: data.sort((a, b) => a[0] - b[0]),
    showSymbol: data.length < 30,
    symbolSize: 4,
  }));
  const range = metric === 'lr' ? null : metricAxisRange(metric, values);
  return {
    animation: false,
    grid: { left: 56, right: 24, top: 60, bottom: 40 }, // room for the legend above the y axis' name
    legend: { type: 'scroll', top: 4, data: series.map((entry) => entry.name) },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26, minInterval: 1 },
    yAxis: { type: metric === 'lr' ? 'log' : 'value', name: metric, scale: true, ...range },
    series,
  };
}
