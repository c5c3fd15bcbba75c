import type { HistoryPoint } from '../../../core/api/contract.js';
import type { Direction } from '../../../core/api/domain.js';
import { boxByGroup, lrBatchHeatmap, sampleForDisplay, scored, type Slice } from '../lib/aggregates.js';
import { formatCount, formatNumber } from '../lib/format.js';
import type { ChartOption } from './setup.js';

/** Colours run from worse to better, so "better" looks the same whatever the direction. */
function ramp(direction: Direction): string[] {
  const colours = ['#d94f4f', '#f0b429', '#3fae6a'];
  return direction === 'maximize' ? colours : [...colours].reverse();
}

/** A vertical colour legend on the right; `dimension` picks the value column of each data row. */
function colourScale(dimension: number, min: number, max: number, direction: Direction): ChartOption['visualMap'] {
  return {
    type: 'continuous', dimension, min, max, precision: 4, calculable: true,
    inRange: { color: ramp(direction) }, right: 8, top: 'middle', itemHeight: 160,
  };
}

const maxParallelLines = 2000;

/** Params vs objective as parallel coordinates; progressive so 10,000 lines draw in chunks. */
export function parallelOption(points: readonly HistoryPoint[], metric: string, direction: Direction): ChartOption | null {
  const all = scored(points);
  if (all.length === 0) return null;
  // 10,000 overlapping lines are one solid band; a sample with every top trial reads better and draws fast.
  const valued = sampleForDisplay(all, direction, maxParallelLines);
  const optimizers = [...new Set(valued.map((point) => point.optimizer))].sort();
  const schedules = [...new Set(valued.map((point) => point.lrSchedule))].sort();
  const values = valued.map((point) => point.value);
  return {
    animation: false,
    title: {
      show: all.length > valued.length,
      text: `${formatCount(valued.length)} of ${formatCount(all.length)} trials: the best ${Math.floor(maxParallelLines / 10)} and an even sample`,
      textStyle: { fontSize: 12, fontWeight: 'normal' },
      left: 0,
      top: 0,
    },
    parallelAxis: [
      { dim: 0, name: 'optimizer', type: 'category', data: optimizers },
      { dim: 1, name: 'learning rate', type: 'log' },
      { dim: 2, name: 'batch size', type: 'log', logBase: 2 },
      { dim: 3, name: 'schedule', type: 'category', data: schedules },
      { dim: 4, name: metric, type: 'value', scale: true },
    ],
    parallel: { left: 60, right: 110, top: 50, bottom: 30 },
    visualMap: colourScale(4, Math.min(...values), Math.max(...values), direction),
    series: [
      {
        type: 'parallel',
        data: valued.map((point) => [point.optimizer, point.learningRate, point.batchSize, point.lrSchedule, point.value]),
        lineStyle: { width: 1, opacity: valued.length > 1000 ? 0.15 : 0.5 },
        progressive: 500,
        progressiveThreshold: 1000,
      },
    ],
  };
}

/** What a heatmap cell shows, said on the chart itself. */
export function heatmapCaption(metric: string, direction: Direction): string {
  return `Each cell: the ${direction === 'maximize' ? 'highest' : 'lowest'} ${metric} of its trials, over all optimizers and schedules`;
}

export function heatmapOption(points: readonly HistoryPoint[], metric: string, direction: Direction, options: { isSampled?: boolean } = {}): ChartOption | null {
  const map = lrBatchHeatmap(points, direction, options);
  if (map.cells.length === 0) return null;
  return {
    animation: false,
    title: { text: heatmapCaption(metric, direction), textStyle: { fontSize: 12, fontWeight: 'normal' }, left: 0, top: 0 },
    grid: { left: 64, right: 110, top: 56, bottom: 56 },
    tooltip: {
      formatter: (params: unknown) => {
        const cell = (params as { data: [number, number, number, number] }).data;
        return `lr ${map.lrLabels[cell[0]]}, batch ${map.batchLabels[cell[1]]}<br>best ${metric} ${formatNumber(cell[2])} of ${cell[3]} ${cell[3] === 1 ? 'trial' : 'trials'}`;
      },
    },
    xAxis: { type: 'category', data: map.lrLabels, name: 'learning rate', nameLocation: 'middle', nameGap: 32 },
    yAxis: { type: 'category', data: map.batchLabels, name: 'batch size' },
    visualMap: colourScale(2, map.min, map.max, direction),
    series: [
      {
        type: 'heatmap',
        data: map.cells,
        label: { show: map.cells.length <= 80, formatter: (params) => formatNumber((params.data as number[])[2] ?? null) },
      },
    ],
  };
}

export function boxplotOption(points: readonly HistoryPoint[], metric: string): ChartOption | null {
  const boxes = boxByGroup(points, (point) => point.optimizer);
  if (boxes.groups.length === 0) return null;
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 24, bottom: 40 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'category', data: boxes.groups.map((group, index) => `${group} (${boxes.counts[index]})`) },
    yAxis: { type: 'value', name: metric, scale: true },
    series: [{ type: 'boxplot', name: metric, data: boxes.boxes }],
  };
}

const sliceTitles: Record<Slice['param'], string> = {
  learningRate: 'learning rate',
  batchSize: 'batch size',
  optimizer: 'optimizer',
  lrSchedule: 'schedule',
};

export function sliceOption(slice: Slice, metric: string): ChartOption | null {
  if (slice.data.length === 0) return null;
  const isCategory = slice.kind === 'category';
  const isLarge = slice.data.length > 2000;
  return {
    animation: false,
    title: { text: sliceTitles[slice.param], left: 'center', textStyle: { fontSize: 13 } },
    grid: { left: 48, right: 16, top: 32, bottom: 32 },
    tooltip: { trigger: 'item' },
    // Categories sit at whole numbers (points jitter around them); ticks and labels go exactly
    // there, not at the axis' own ticks, which start from -0.5 and put labels between points.
    xAxis: isCategory
      ? {
          type: 'value', min: -0.5, max: slice.categories.length - 0.5, splitLine: { show: false },
          axisTick: { customValues: slice.categories.map((_, index) => index) },
          axisLabel: { customValues: slice.categories.map((_, index) => index), formatter: (value: number) => slice.categories[Math.round(value)] ?? '' },
        }
      : { type: 'log', logBase: slice.param === 'batchSize' ? 2 : 10 },
    // The chart title names the param; the y axis stays at the left edge, not at x = 0.
    yAxis: { type: 'value', scale: true, axisLine: { onZero: false } },
    series: [{ type: 'scatter', name: metric, data: slice.data, symbolSize: isLarge ? 3 : 6, large: isLarge, itemStyle: { opacity: 0.6 } }],
  };
}
