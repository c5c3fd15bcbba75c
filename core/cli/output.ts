import type { StudySummary, Trial } from '../api/domain.js';
import { escapeControl } from './terminalText.js';

/** Numbers as people read them in a table: 4 significant digits, no exponent for usual sizes. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
}

export function formatParams(params: Trial['params']): string {
  const parts = [`${params.optimizer}`, `lr=${formatNumber(params.learningRate)}`, `bs=${params.batchSize}`, params.lrSchedule];
  for (const key of ['momentum', 'decayRate', 'decaySteps', 'decay', 'minLrFraction'] as const) {
    const value = params[key];
    if (value !== undefined) parts.push(`${key}=${formatNumber(value)}`);
  }
  return parts.join(' ');
}

/** A plain text table with columns padded to their widest cell. */
export function table(header: string[], rawRows: string[][]): string {
  const rows = rawRows.map((row) => row.map(escapeControl));
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function studiesTable(studies: readonly StudySummary[]): string {
  if (studies.length === 0) return 'No studies yet. Run `tunebench demo` or `tunebench sweep SPEC`.';
  return table(
    ['id', 'name', 'status', 'trials', 'best', 'objective', 'dataset', 'created'],
    studies.map((study) => {
      const finished = study.counts.complete + study.counts.failed + study.counts.pruned;
      return [
        String(study.id),
        study.name,
        study.status,
        `${finished}/${study.plannedTrials}`,
        formatNumber(study.bestValue),
        `${study.objective.direction === 'maximize' ? 'max' : 'min'} ${study.objective.metric}`,
        study.datasetName,
        new Date(study.createdAt).toISOString().slice(0, 16).replace('T', ' '),
      ];
    }),
  );
}

export function leaderboardTable(trials: readonly Trial[], offset = 0): string {
  return table(
    ['rank', 'trial', 'params', 'value', 'best epoch', 'epochs', 'duration', 'backend', 'state'],
    trials.map((trial, i) => [
      String(offset + i + 1),
      `#${trial.number}`,
      formatParams(trial.params),
      formatNumber(trial.value),
      trial.bestEpoch === null ? '-' : String(trial.bestEpoch),
      String(trial.epochsRun),
      formatDuration(trial.durationMs),
      trial.backend ?? '-',
      trial.state === 'failed' && trial.error ? `failed: ${trial.error.split('\n')[0]}` : trial.state,
    ]),
  );
}
