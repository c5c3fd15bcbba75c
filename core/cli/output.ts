import { dataNotes, testScoreNote } from '../api/dataNotes.js';
import type { DatasetInfo, Study, StudySummary, Trial } from '../api/domain.js';
import { finishedCount } from '../api/progress.js';
import { escapeControl } from './terminalText.js';

/** Numbers as people read them in a table: 4 significant digits, no exponent for usual sizes. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** "1 trial", "2 trials": a count with its noun in the right number. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? singular : plural}`;
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

/** Words joined into lines of at most `width` characters, each line after `indent`. */
export function wrapText(text: string, width: number, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.map((text) => indent + text).join('\n');
}

/** Up to the first full stop followed by a space (not one inside "e.g." or a number). */
export function firstSentence(text: string): string {
  const match = /^.*?[a-z)]\.(?=\s|$)/s.exec(text);
  return match ? match[0] : text;
}

export function studiesTable(studies: readonly StudySummary[]): string {
  if (studies.length === 0) return 'No studies yet. Run `tunebench demo` or `tunebench sweep SPEC`.';
  return table(
    ['id', 'name', 'status', 'trials', 'best', 'objective', 'dataset', 'created'],
    studies.map((study) => {
      const finished = finishedCount(study.counts);
      return [
        String(study.id),
        study.name,
        statusText(study),
        `${finished}/${study.plannedTrials}`,
        formatNumber(study.bestValue),
        `${study.objective.direction === 'maximize' ? 'max' : 'min'} ${study.objective.metric}`,
        study.datasetName,
        new Date(study.createdAt).toISOString().slice(0, 16).replace('T', ' '),
      ];
    }),
  );
}

/** The status as a person needs it: who runs it, or that it needs a resume. */
export function statusText(study: Pick<StudySummary, 'status' | 'owner'>): string {
  if (study.status === 'interrupted') return 'interrupted (resume it)';
  if (study.status === 'running' && study.owner) return `running (pid ${study.owner.pid} on ${study.owner.host})`;
  return study.status;
}

/** With `testMetric` (a study with a test part), a column of that metric at each best epoch. */
export function leaderboardTable(trials: readonly Trial[], offset = 0, testMetric?: string): string {
  const testColumn = testMetric ? [testMetric] : [];
  return table(
    ['rank', 'trial', 'params', 'value', ...testColumn, 'best epoch', 'epochs', 'duration', 'backend', 'state'],
    trials.map((trial, i) => [
      String(offset + i + 1),
      `#${trial.number}`,
      formatParams(trial.params),
      formatNumber(trial.value),
      ...(testMetric ? [formatNumber(trial.testMetrics?.[testMetric])] : []),
      trial.bestEpoch === null ? '-' : String(trial.bestEpoch + 1), // people count epochs from 1
      String(trial.epochsRun),
      formatDuration(trial.durationMs),
      trial.backend ?? '-',
      trial.state === 'failed' && trial.error ? `failed: ${trial.error.split('\n')[0]}` : trial.state === 'pruned' ? 'pruned (last value)' : trial.state,
    ]),
  );
}

/** The notes printed under a study's leaderboard: clamped batch sizes, and what a test score means. */
export function studyDataNotes(study: Study, dataset: DatasetInfo | null): string[] {
  const notes = dataset ? dataNotes(study.spec, dataset).map((note) => `note: ${note}`) : [];
  if (study.spec.testSplit !== undefined) notes.push(`note: ${testScoreNote}`);
  return notes;
}
