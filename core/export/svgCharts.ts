/**
 * Small static SVG charts for the HTML report: no script, no external reference, colours from
 * CSS classes so the page's light/dark styles apply. Inline SVG in HTML needs no xmlns, which
 * keeps every http(s) URL out of the file.
 */

export interface ChartLabels {
  title: string;
  xLabel: string;
  yLabel: string;
}

export interface Series {
  label: string;
  points: readonly { x: number; y: number }[];
}

const width = 720;
const margin = { left: 64, right: 16, top: 12, bottom: 44 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = 244;
/** The x-axis label's baseline; legend rows follow below it, outside the plot. */
const axisLabelY = margin.top + plotHeight + 38;
const legendRow = 18;

/** Escapes text for HTML and XML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Round tick values (1, 2 or 5 times a power of ten) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceTicks(min - pad, max + pad, count);
  }
  const raw = (max - min) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = ([1, 2, 5, 10].find((f) => f * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  const last = ticks.at(-1);
  if (last !== undefined && last < max) ticks.push(Number((last + step).toPrecision(12)));
  return ticks;
}

/** A short tick label: up to 4 significant digits, exponent form for very small or large values. */
export function formatTick(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) return value.toExponential(1);
  return String(Number(value.toPrecision(4)));
}

interface Scale {
  x(value: number): number;
  y(value: number): number;
  xTicks: number[];
  yTicks: number[];
}

// A loop, not Math.min(...values): a study can have more trials than a call has argument slots.
function extent(values: readonly number[]): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}

function scaleFor(xs: readonly number[], ys: readonly number[], integerX: boolean): Scale {
  const xTicks = niceTicks(...extent(xs), 8).filter((t) => !integerX || Number.isInteger(t));
  const yTicks = niceTicks(...extent(ys), 5);
  const [x0, x1] = [xTicks[0] ?? 0, xTicks.at(-1) ?? 1];
  const [y0, y1] = [yTicks[0] ?? 0, yTicks.at(-1) ?? 1];
  return {
    x: (v) => round(margin.left + ((v - x0) / (x1 - x0 || 1)) * plotWidth),
    y: (v) => round(margin.top + plotHeight - ((v - y0) / (y1 - y0 || 1)) * plotHeight),
    xTicks,
    yTicks,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function axes(scale: Scale, labels: ChartLabels): string {
  const bottom = margin.top + plotHeight;
  const parts: string[] = [];
  for (const t of scale.yTicks) {
    const y = scale.y(t);
    parts.push(`<line class="grid" x1="${margin.left}" x2="${width - margin.right}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text class="tick" x="${margin.left - 6}" y="${y + 4}" text-anchor="end">${formatTick(t)}</text>`);
  }
  for (const t of scale.xTicks) {
    const x = scale.x(t);
    parts.push(`<line class="axis" x1="${x}" x2="${x}" y1="${bottom}" y2="${bottom + 5}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${bottom + 18}" text-anchor="middle">${formatTick(t)}</text>`);
  }
  parts.push(`<line class="axis" x1="${margin.left}" x2="${width - margin.right}" y1="${bottom}" y2="${bottom}"/>`);
  parts.push(`<line class="axis" x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${bottom}"/>`);
  parts.push(
    `<text class="label" x="${margin.left + plotWidth / 2}" y="${axisLabelY}" text-anchor="middle">${escapeHtml(labels.xLabel)}</text>`,
    `<text class="label" transform="translate(14 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(labels.yLabel)}</text>`,
  );
  return parts.join('');
}

/** The chart's SVG, tall enough for `legendRows` rows of legend under the axis label. */
function frame(labels: ChartLabels, body: string, legendRows: number): string {
  const title = escapeHtml(labels.title);
  const height = axisLabelY + 10 + legendRows * legendRow;
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}"><title>${title}</title>${body}</svg>`;
}

function empty(labels: ChartLabels): string {
  return frame(labels, `<text class="label" x="${width / 2}" y="${margin.top + plotHeight / 2}" text-anchor="middle">no data yet</text>`, 0);
}

/** A legend entry at row `row` (column `column` of two) below the plot: a swatch and its text. */
function legendEntry(row: number, column: number, swatch: (x: number, y: number) => string, text: string): string {
  const x = margin.left + column * (plotWidth / 2);
  const y = axisLabelY + 8 + row * legendRow + legendRow / 2;
  return `${swatch(x, y)}<text class="legend" x="${x + 26}" y="${y + 4}">${escapeHtml(text)}</text>`;
}

/**
 * Optimization history: each trial's value as a dot (x = trial number) and the best value so
 * far as a step line. Trials without a value (failed, pruned, running) are left out.
 */
export function historyChart(
  points: readonly { x: number; value: number | null; best: number | null }[],
  labels: ChartLabels,
): string {
  const valued = points.filter((p): p is { x: number; value: number; best: number | null } => p.value !== null && Number.isFinite(p.value));
  if (valued.length === 0) return empty(labels);
  const scale = scaleFor(
    valued.map((p) => p.x),
    valued.map((p) => p.value),
    true,
  );
  const dots = valued
    .map((p) => `<circle class="dot" cx="${scale.x(p.x)}" cy="${scale.y(p.value)}" r="3"><title>trial ${p.x}: ${p.value}</title></circle>`)
    .join('');
  let path = '';
  let lastY: number | null = null;
  // Only valued trials: the x scale ends at the last of them, and the best changes only there.
  for (const p of valued) {
    if (p.best === null || !Number.isFinite(p.best)) continue;
    const x = scale.x(p.x);
    const y = scale.y(p.best);
    path += lastY === null ? `M${x} ${y}` : `H${x}V${y}`;
    lastY = y;
  }
  // Carry the best line on to the last valued trial.
  const lastX = valued.at(-1)?.x;
  if (lastY !== null && lastX !== undefined) path += `H${scale.x(lastX)}`;
  const legend =
    legendEntry(0, 0, (x, y) => `<circle class="dot" cx="${x + 10}" cy="${y}" r="3"/>`, 'trial value') +
    legendEntry(0, 1, (x, y) => `<line class="best" x1="${x}" x2="${x + 20}" y1="${y}" y2="${y}"/>`, 'best so far');
  return frame(labels, axes(scale, labels) + dots + `<path class="best" d="${path}"/>` + legend, 1);
}

/** Learning curves: one polyline per series (class s0, s1, ...), with a legend. */
export function curvesChart(series: readonly Series[], labels: ChartLabels): string {
  const drawn = series
    .map((s) => ({ label: s.label, points: s.points.filter((p) => Number.isFinite(p.y)) }))
    .filter((s) => s.points.length > 0);
  if (drawn.length === 0) return empty(labels);
  const all = drawn.flatMap((s) => s.points);
  const scale = scaleFor(
    all.map((p) => p.x),
    all.map((p) => p.y),
    true,
  );
  const lines = drawn
    .map((s, i) => {
      const coords = s.points.map((p) => `${scale.x(p.x)},${scale.y(p.y)}`).join(' ');
      return `<polyline class="curve s${i % 8}" points="${coords}"><title>${escapeHtml(s.label)}</title></polyline>`;
    })
    .join('');
  const legend = drawn
    .map((s, i) =>
      legendEntry(Math.floor(i / 2), i % 2, (x, y) => `<line class="curve s${i % 8}" x1="${x}" x2="${x + 20}" y1="${y}" y2="${y}"/>`, s.label),
    )
    .join('');
  return frame(labels, axes(scale, labels) + lines + legend, Math.ceil(drawn.length / 2));
}
