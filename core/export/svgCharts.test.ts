import { describe, expect, it } from 'vitest';
import { curvesChart, escapeHtml, formatTick, historyChart, niceTicks } from './svgCharts.js';

const labels = { title: 'T <1>', xLabel: 'trial', yLabel: 'val_loss' };

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0.13, 0.87)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 9, 8)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-3, 12)).toEqual([-5, 0, 5, 10, 15]);
  });

  it('widens a single value and refuses non-finite bounds', () => {
    const ticks = niceTicks(2, 2);
    expect(ticks[0]).toBeLessThan(2);
    expect(ticks.at(-1)).toBeGreaterThan(2);
    expect(niceTicks(0, 0)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });

  it('formats ticks briefly', () => {
    expect(formatTick(0.30000000000000004)).toBe('0.3');
    expect(formatTick(0.00001)).toBe('1.0e-5');
    expect(formatTick(12345678)).toBe('1.2e+7');
    expect(formatTick(0)).toBe('0');
  });
});

describe('charts', () => {
  it('draws dots, a best-so-far step line and escaped labels', () => {
    const svg = historyChart(
      [
        { x: 0, value: 0.5, best: 0.5 },
        { x: 1, value: null, best: 0.5 },
        { x: 2, value: 0.3, best: 0.3 },
        { x: 3, value: 0.4, best: 0.3 },
      ],
      labels,
    );
    expect(svg).toMatch(/^<svg class="chart" viewBox="0 0 720 322" role="img" aria-label="T &lt;1&gt;"><title>T &lt;1&gt;<\/title>/);
    expect(svg.match(/<circle class="dot" [^>]*><title>trial \d/g)).toHaveLength(3);
    const path = /<path class="best" d="([^"]+)"/.exec(svg)?.[1] ?? '';
    // Starts at trial 0, steps down at trial 2, runs on to trial 3.
    expect(path).toMatch(/^M[\d.]+ [\d.]+H[\d.]+V[\d.]+H[\d.]+V[\d.]+H[\d.]+$/);
    expect(svg).not.toContain('xmlns');
  });

  it('draws one polyline per curve with a legend', () => {
    const svg = curvesChart(
      [
        { label: 'a<b', points: [{ x: 0, y: 1 }, { x: 1, y: 0.5 }] },
        { label: 'c', points: [{ x: 0, y: 0.8 }, { x: 1, y: Number.NaN }, { x: 2, y: 0.4 }] },
        { label: 'empty', points: [] },
      ],
      { ...labels, xLabel: 'epoch' },
    );
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    // Two legend entries side by side on one row under the plot (viewBox grows by one row).
    expect(svg).toContain('<text class="legend" x="90" y="315">a&lt;b</text>');
    expect(svg).toContain('<text class="legend" x="410" y="315">c</text>');
    expect(svg).toContain('viewBox="0 0 720 322"');
    expect(svg).not.toContain('empty');
    const points = /<polyline class="curve s1" points="([^"]+)"/.exec(svg)?.[1]?.split(' ');
    expect(points).toHaveLength(2);
  });

  it('keeps the best-so-far line inside its axis when the last trials have no value (pruned)', () => {
    const points = [
      { x: 0, value: 0.5, best: 0.5 },
      { x: 1, value: 0.3, best: 0.3 },
      ...Array.from({ length: 40 }, (_, n) => ({ x: n + 2, value: null, best: 0.3 })),
    ];
    const path = /<path class="best" d="([^"]+)"/.exec(historyChart(points, labels))?.[1] ?? '';
    const xs = [...path.matchAll(/[MH](-?[\d.]+)/g)].map((match) => Number(match[1]));
    expect(xs.length).toBeGreaterThan(1);
    expect(Math.max(...xs)).toBeLessThanOrEqual(720 - 16);
  });

  it('says so when there is nothing to draw', () => {
    expect(historyChart([{ x: 0, value: null, best: null }], labels)).toContain('no data yet');
    expect(curvesChart([], labels)).toContain('no data yet');
  });

  it('escapes all five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
