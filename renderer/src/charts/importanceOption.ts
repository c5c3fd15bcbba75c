import type { StudyImportance } from '../../../core/api/contract.js';
import type { ChartOption } from './setup.js';

/**
 * Horizontal bars, one per parameter, the most important at the top; null when no parameter
 * varies among the complete trials (nothing to rank).
 */
export function importanceOption(result: StudyImportance): ChartOption | null {
  if (result.importance.length === 0) return null;
  // ECharts draws a category axis bottom-up: reverse so the largest bar is first read.
  const ranked = [...result.importance].reverse();
  return {
    animation: false,
    grid: { left: 120, right: 48, top: 16, bottom: 48, outerBoundsMode: 'none' },
    tooltip: { trigger: 'item', valueFormatter: (value) => `${(Number(value) * 100).toFixed(1)}%` },
    xAxis: { type: 'value', name: 'share of importance (PED-ANOVA)', nameLocation: 'middle', nameGap: 28, min: 0, max: 1 },
    yAxis: { type: 'category', data: ranked.map((entry) => entry.name) },
    series: [
      {
        type: 'bar',
        name: 'importance',
        data: ranked.map((entry) => entry.importance),
        label: { show: true, position: 'right', formatter: ({ value }) => `${(Number(value) * 100).toFixed(0)}%` },
      },
    ],
  };
}
