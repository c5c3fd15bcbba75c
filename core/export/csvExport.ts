import type { Trial } from '../api/domain.js';
import type { TrialParams } from '../api/spec.js';
import { modelParamNames } from '../space/modelParams.js';

/** Hyperparameter columns, in the order the space spec lists them; blank where not applicable. */
export const paramColumns = [
  'optimizer',
  'learningRate',
  'batchSize',
  'lrSchedule',
  'momentum',
  'decayRate',
  'decaySteps',
  'decay',
  'minLrFraction',
] as const satisfies readonly (keyof TrialParams)[];

export const csvColumns = [
  'rank',
  'number',
  'state',
  'value',
  'best_epoch',
  'epochs_run',
  'duration_ms',
  'backend',
  ...paramColumns,
  'seed',
] as const;

export type CsvCell = string | number | null | undefined;

// A spreadsheet evaluates a cell starting with one of these as a formula (OWASP "CSV injection").
const formulaStart = /^[=+\-@\t\r]/;

/**
 * One field, RFC 4180: numbers as numbers (a negative number stays a number), a text cell that a
 * spreadsheet would run as a formula prefixed with a single quote, then quoted when it holds a
 * comma, a double quote or a line break. null, undefined and non-finite numbers are blank.
 */
export function csvField(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = formulaStart.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows joined with CRLF as RFC 4180 asks, ending with a line break. */
export function csvText(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/**
 * The CSV export: a header, then one row per trial in rank order. A study with a test part gets
 * its test metrics (at each trial's best validation epoch) as the last columns.
 * `csvColumns` ends with seed, so a study with tuned model params gets their columns just before it.
 */
export function trialsCsv(trials: readonly Trial[]): string {
  const testNames = [...new Set(trials.flatMap((trial) => Object.keys(trial.testMetrics ?? {})))].sort();
  // Tuned model params (only those some trial has) sit after the training ones, before seed.
  const modelNames = modelParamNames.filter((name) => trials.some((trial) => trial.params[name] !== undefined));
  const rows: CsvCell[][] = [[...csvColumns.slice(0, -1), ...modelNames, 'seed', ...testNames]];
  trials.forEach((trial, index) => {
    rows.push([
      index + 1,
      trial.number,
      trial.state,
      trial.value,
      trial.bestEpoch,
      trial.epochsRun,
      trial.durationMs,
      trial.backend,
      ...paramColumns.map((name) => trial.params[name]),
      ...modelNames.map((name) => trial.params[name]),
      trial.seed,
      ...testNames.map((name) => trial.testMetrics?.[name]),
    ]);
  });
  return csvText(rows);
}
