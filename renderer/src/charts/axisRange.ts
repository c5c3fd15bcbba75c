/** 1, 2 or 5 times a power of ten, at least `raw`. */
function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

const tidy = (value: number) => Number(value.toPrecision(12));

/**
 * Value-axis bounds for a metric: a nice range around the data with a little headroom, kept
 * inside [0, 1] for accuracies and at or above 0 for losses and errors (ECharts' own `scale`
 * rounds an accuracy of 0.98 up to an axis ending at 1.2 or more). The ends sit on the tick
 * interval, so no odd label crowds the first tick. Null without finite values.
 */
export function metricAxisRange(metric: string, values: Iterable<number>): { min: number; max: number; interval: number } | null {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (low > high) return null;
  if (low === high) {
    // One value (or many equal ones): centre it in a small range rather than on an edge.
    const pad = Math.abs(high) * 0.05 || 0.5;
    low -= pad;
    high += pad;
  }
  const span = high - low;
  const step = niceStep(span / 6);
  let min = tidy(Math.floor((low - span * 0.05) / step) * step);
  let max = tidy(Math.ceil((high + span * 0.05) / step) * step);
  if (metric.includes('accuracy')) {
    min = Math.max(0, min);
    max = Math.min(1, max);
  } else if (/loss|mae|mse/.test(metric) && low >= 0) {
    min = Math.max(0, min);
  }
  // 0 and 1 are multiples of every nice step up to 1, so clamping keeps the ends on ticks.
  return { min, max, interval: step };
}
