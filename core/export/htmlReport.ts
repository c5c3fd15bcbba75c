import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { stringify } from 'yaml';
import { testScoreNote } from '../api/dataNotes.js';
import type { DatasetInfo, MetricPoint, StudySummary, Trial } from '../api/domain.js';
import { conditionalNames } from '../space/conditional.js';
import { curvesChart, escapeHtml, historyChart } from './svgCharts.js';

/** What the HTML report shows; gathered by renderExport, rendered here without any I/O. */
export interface HtmlReportInput {
  study: StudySummary;
  /** Every trial of the study in number order (the history chart and the backends used). */
  trials: readonly Trial[];
  /** Complete trials, best first. */
  leaderboard: readonly Trial[];
  /** The objective metric per epoch of the trials whose curves are drawn (the top 5). */
  curves: readonly MetricPoint[];
  dataset: DatasetInfo | null;
  versions: RuntimeVersions;
  exportedAt: Date;
}

export interface RuntimeVersions {
  app: string;
  node: string;
  tfjs: string;
}

/** How many of the best trials get a learning curve. */
export const curveCount = 5;

/** Node's version, and tfjs's from its package.json (read, not imported: tfjs need not load). */
export function runtimeVersions(app: string): RuntimeVersions {
  let tfjs = 'unknown';
  try {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(readFileSync(require.resolve('@tensorflow/tfjs/package.json'), 'utf8')) as { version?: string };
    tfjs = pkg.version ?? tfjs;
  } catch {
    // A build without tfjs still gets a report; the version just reads unknown.
  }
  return { app, node: process.version, tfjs };
}

const css = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1d2330; --muted: #5b6475; --line: #d8dce4; --accent: #2f6fdf; --best: #d9480f; --stripe: #f4f6f9; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15181e; --fg: #e3e7ee; --muted: #98a1b3; --line: #343a46; --accent: #6ea3ff; --best: #ff8c5a; --stripe: #1c2028; }
}
body { background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 980px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.muted, .tick, .legend, .label { color: var(--muted); fill: var(--muted); }
.tick, .legend { font-size: 11px; } .label { font-size: 12px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; } dt { color: var(--muted); } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; } tbody tr:nth-child(even) { background: var(--stripe); }
pre { background: var(--stripe); border: 1px solid var(--line); padding: 12px; overflow: auto; font-size: 12px; }
code { overflow-wrap: anywhere; }
svg.chart { width: 100%; height: auto; }
.axis { stroke: var(--muted); stroke-width: 1; } .grid { stroke: var(--line); stroke-width: 1; }
.dot { fill: var(--accent); fill-opacity: 0.75; } .best { fill: none; stroke: var(--best); stroke-width: 2; }
.curve { fill: none; stroke-width: 1.8; }
.s0 { stroke: #2f6fdf; } .s1 { stroke: #d9480f; } .s2 { stroke: #2b9348; } .s3 { stroke: #9c36b5; } .s4 { stroke: #e8a200; }
.s5 { stroke: #0c8599; } .s6 { stroke: #c2255c; } .s7 { stroke: #5c7cfa; }
`;

function fmt(value: number | null | undefined, digits = 6): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(digits)));
}

function duration(ms: number | null): string {
  if (ms === null) return '–';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const esc = escapeHtml;

function summarySection(input: HtmlReportInput): string {
  const { study } = input;
  const counts = Object.entries(study.counts)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${esc(state)}`)
    .join(', ');
  const best = study.bestValue === null ? '–' : `${fmt(study.bestValue)} (trial ${study.bestTrialNumber ?? '?'})`;
  const rows: [string, string][] = [
    ['Objective', `${esc(study.objective.direction)} <code>${esc(study.objective.metric)}</code>`],
    ['Strategy', `${esc(study.strategy)}, ${study.plannedTrials} planned`],
    ['Trials', counts || 'none'],
    ['Best value', best],
    ['Status', esc(study.status) + (study.statusReason ? ` (${esc(study.statusReason)})` : '')],
  ];
  return `<h2>Summary</h2><dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

function historySection(input: HtmlReportInput): string {
  const maximize = input.study.objective.direction === 'maximize';
  let best: number | null = null;
  const points = input.trials.map((trial) => {
    const value = trial.state === 'complete' && trial.value !== null && Number.isFinite(trial.value) ? trial.value : null;
    if (value !== null && (best === null || (maximize ? value > best : value < best))) best = value;
    return { x: trial.number, value, best };
  });
  const metric = input.study.objective.metric;
  const chart = historyChart(points, { title: 'Optimization history', xLabel: 'trial', yLabel: metric });
  return `<h2>Optimization history</h2>${chart}`;
}

function curvesSection(input: HtmlReportInput): string {
  const metric = input.study.objective.metric;
  const series = input.leaderboard.slice(0, curveCount).map((trial, index) => ({
    label: `#${index + 1} trial ${trial.number} (${trial.params.optimizer}, lr ${fmt(trial.params.learningRate, 3)})`,
    points: input.curves
      .filter((p) => p.trialId === trial.id && p.name === metric)
      .sort((a, b) => a.epoch - b.epoch)
      .map((p) => ({ x: p.epoch + 1, y: p.value })),
  }));
  const chart = curvesChart(series, { title: `Learning curves of the top ${curveCount}`, xLabel: 'epoch', yLabel: metric });
  return `<h2>Learning curves (top ${curveCount}, ${esc(metric)})</h2>${chart}`;
}

function extraParams(trial: Trial): string {
  return conditionalNames
    .filter((name) => trial.params[name] !== undefined)
    .map((name) => `${name}=${fmt(trial.params[name])}`)
    .join(' ');
}

function leaderboardSection(input: HtmlReportInput): string {
  // A study with a test part: its test metrics beside the (optimistic) validation value.
  const testNames = [...new Set(input.leaderboard.flatMap((trial) => Object.keys(trial.testMetrics ?? {})))].sort();
  const head = ['#', 'trial', 'value', ...testNames.map(esc), 'optimizer', 'learning rate', 'batch', 'schedule', 'other', 'best epoch', 'epochs', 'duration', 'backend'];
  const rows = input.leaderboard.map((trial, index) => {
    const cells = [
      String(index + 1),
      String(trial.number),
      fmt(trial.value),
      ...testNames.map((name) => fmt(trial.testMetrics?.[name])),
      esc(trial.params.optimizer),
      fmt(trial.params.learningRate),
      String(trial.params.batchSize),
      esc(trial.params.lrSchedule),
      esc(extraParams(trial)),
      trial.bestEpoch === null ? '–' : String(trial.bestEpoch + 1), // epochs read from 1
      String(trial.epochsRun),
      duration(trial.durationMs),
      esc(trial.backend ?? '–'),
    ];
    return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  });
  const body = rows.length > 0 ? rows.join('') : `<tr><td colspan="${head.length}">no complete trial yet</td></tr>`;
  return (
    `<h2>Leaderboard (top ${input.leaderboard.length})</h2>` +
    (testNames.length > 0 ? `<p class="muted">${esc(testScoreNote)}</p>` : '') +
    `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`
  );
}

function environmentSection(input: HtmlReportInput): string {
  const { study, dataset, versions } = input;
  const backends = [...new Set(input.trials.map((t) => t.backend).filter((b): b is string => b !== null))];
  const datasetText = dataset
    ? `${esc(dataset.name)} (${dataset.rows} rows, ${dataset.featureCount} features, ${esc(dataset.task)})`
    : esc(study.datasetName);
  const rows: [string, string][] = [
    ['Dataset', datasetText],
    ['Fingerprint', `<code>${esc(study.datasetFingerprint)}</code>`],
    ['Backends used', backends.length > 0 ? backends.map(esc).join(', ') : '–'],
    ['Tunebench', `${esc(versions.app)} (study created with ${esc(study.appVersion)})`],
    ['Node', esc(versions.node)],
    ['TensorFlow.js', esc(versions.tfjs)],
    ['Exported', esc(input.exportedAt.toISOString())],
  ];
  return `<h2>Dataset and environment</h2><dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

/**
 * A self-contained report: inline CSS, inline SVG, no script and nothing fetched. Its own CSP
 * (default-src 'none', the stylesheet allowed by hash) keeps it that way in any browser.
 */
export function htmlReport(input: HtmlReportInput): string {
  const { study } = input;
  const styleHash = createHash('sha256').update(css).digest('base64');
  const csp = `default-src 'none'; style-src 'sha256-${styleHash}'; img-src data:`;
  const specYaml = stringify(study.spec);
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(study.name)} · Tunebench report</title>`,
    `<style>${css}</style>`,
    '</head><body>',
    `<h1>${esc(study.name)}</h1>`,
    `<p class="muted">Tunebench study ${study.id} · ${esc(study.datasetName)} · exported ${esc(input.exportedAt.toISOString())}</p>`,
    summarySection(input),
    historySection(input),
    curvesSection(input),
    leaderboardSection(input),
    `<h2>Spec</h2><pre><code>${esc(specYaml)}</code></pre>`,
    environmentSection(input),
    '</body></html>',
    '',
  ].join('\n');
}
