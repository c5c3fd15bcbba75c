import type { MetricPoint, Trial } from '../../../core/api/domain.js';
import { formatDuration, formatNumber, formatParam } from './format.js';

export interface CompareRow {
  key: string;
  label: string;
  values: string[];
  /** True when the trials do not all share one value. */
  differs: boolean;
}

const paramOrder = ['optimizer', 'learningRate', 'batchSize', 'lrSchedule', 'momentum', 'decayRate', 'decaySteps', 'decay', 'minLrFraction', 'hiddenLayers', 'units1', 'units2', 'units3', 'units4', 'activation', 'dropout', 'l2'];

/** Param keys in a fixed, readable order, then any the contract adds later, alphabetically. */
function paramKeys(trials: readonly Trial[]): string[] {
  const present = new Set(trials.flatMap((trial) => Object.keys(trial.params)));
  const known = paramOrder.filter((key) => present.has(key));
  const extra = [...present].filter((key) => !paramOrder.includes(key)).sort();
  return [...known, ...extra];
}

function row(key: string, label: string, raw: unknown[], text: (value: unknown) => string): CompareRow {
  // Compare raw values so that formatting (4 digits) never hides a real difference.
  const signatures = new Set(raw.map((value) => JSON.stringify(value ?? null)));
  return { key, label, values: raw.map(text), differs: signatures.size > 1 };
}

/** Side-by-side rows for the compare table: params first, then how each trial ran. */
export function compareRows(trials: readonly Trial[]): CompareRow[] {
  const params = paramKeys(trials).map((key) =>
    row(`params.${key}`, key, trials.map((trial) => (trial.params as unknown as Record<string, unknown>)[key]), formatParam),
  );
  const duration = (value: unknown) => formatDuration(typeof value === 'number' ? value : null);
  return [
    ...params,
    row('state', 'state', trials.map((trial) => trial.state), formatParam),
    row('value', 'objective', trials.map((trial) => trial.value), formatParam),
    row('bestEpoch', 'best epoch', trials.map((trial) => trial.bestEpoch), formatParam),
    row('epochsRun', 'epochs run', trials.map((trial) => trial.epochsRun), formatParam),
    row('durationMs', 'duration', trials.map((trial) => trial.durationMs), duration),
    row('backend', 'backend', trials.map((trial) => trial.backend), formatParam),
    row('seed', 'seed', trials.map((trial) => trial.seed), (value) => String(value)),
  ];
}

export function visibleRows(rows: readonly CompareRow[], differencesOnly: boolean): CompareRow[] {
  return differencesOnly ? rows.filter((entry) => entry.differs) : [...rows];
}

export interface FinalMetricRow {
  name: string;
  values: (number | null)[];
  text: string[];
  /** Column of the best value (lower for losses and errors, higher otherwise); null on a tie or no data. */
  bestIndex: number | null;
}

const lowerIsBetter = (name: string) => /loss|mae|mse|error/.test(name);
// Scores only: the learning rate is a setting and timings (epoch_ms) depend on the machine's load.
const isUnranked = (name: string) => name === 'lr' || /_ms$|_seconds$|time|duration/.test(name);

/** Each metric's value at the last epoch a trial reported, one row per metric name. */
export function finalMetrics(points: readonly MetricPoint[], trialIds: readonly number[]): FinalMetricRow[] {
  const last = new Map<string, Map<number, { epoch: number; value: number }>>();
  for (const point of points) {
    let byTrial = last.get(point.name);
    if (!byTrial) last.set(point.name, (byTrial = new Map()));
    const seen = byTrial.get(point.trialId);
    if (!seen || point.epoch >= seen.epoch) byTrial.set(point.trialId, { epoch: point.epoch, value: point.value });
  }
  return [...last.keys()].sort().map((name) => {
    const values = trialIds.map((id) => last.get(name)?.get(id)?.value ?? null);
    const finite = values.filter((value): value is number => value !== null && Number.isFinite(value));
    const target = finite.length < 2 || isUnranked(name) ? null : lowerIsBetter(name) ? Math.min(...finite) : Math.max(...finite);
    const isTie = target !== null && finite.filter((value) => value === target).length > 1;
    const bestIndex = target === null || isTie ? null : values.indexOf(target);
    return { name, values, text: values.map(formatNumber), bestIndex };
  });
}
