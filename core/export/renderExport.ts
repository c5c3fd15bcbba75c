import { stringify } from 'yaml';
import type { ExportResult } from '../api/contract.js';
import type { Study } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import { appVersion } from '../paths.js';
import type { Store } from '../store/store.js';
import { trialsCsv } from './csvExport.js';
import { curvesCsv } from './curvesExport.js';
import { bestTrials, exportDocument, trialConfig } from './exportData.js';
import { curveCount, htmlReport, runtimeVersions } from './htmlReport.js';
import { tsProgram } from './tsProgram.js';

export type ExportFormat = 'json' | 'yaml' | 'csv' | 'ts' | 'html' | 'curves';

export interface RenderOptions {
  /** The export time written into the file; now by default (tests pin it). */
  now?: Date;
  /** The running app's version; package.json's by default. */
  appVersion?: string;
}

/** Leaderboard rows in the HTML report when a caller names no count (the CLI without --top). */
export const reportLeaderboardSize = 50;

const mimeTypes: Record<ExportFormat, string> = {
  json: 'application/json',
  yaml: 'application/yaml',
  csv: 'text/csv',
  ts: 'text/typescript',
  html: 'text/html',
  curves: 'text/csv',
};

/** A study name made safe as a file name on every OS: letters, digits, `.`, `_`, `-` only. */
export function safeFileStem(name: string): string {
  const stem = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '') // accents split off by NFKD: é -> e
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 100);
  return stem || 'study';
}

export function exportFileName(studyName: string, format: ExportFormat, top: number): string {
  if (format === 'curves') return `${safeFileStem(studyName)}-curves.csv`;
  const suffix = format === 'html' ? 'report' : format === 'ts' || top <= 1 ? 'best' : `top${top}`;
  return `${safeFileStem(studyName)}-${suffix}.${format}`;
}

async function renderHtml(store: Store, study: Study, top: number, now: Date, app: string): Promise<string> {
  const all = await store.listTrials(study.id, { sort: 'number', limit: Number.MAX_SAFE_INTEGER });
  const leaderboard = await bestTrials(store, study, top);
  const curveIds = leaderboard.slice(0, curveCount).map((trial) => trial.id);
  return htmlReport({
    study: await store.summarizeStudy(study.id),
    trials: all.rows,
    leaderboard,
    curves: curveIds.length > 0 ? await store.getMetrics(curveIds, [study.objective.metric]) : [],
    dataset: await store.getDataset(study.datasetFingerprint),
    versions: runtimeVersions(app),
    exportedAt: now,
  });
}

/**
 * Renders a study's best trial (top = 1) or its top-K complete trials, ranked by value in the
 * objective's direction, as JSON, YAML, CSV, a runnable TypeScript program (the best trial only:
 * a K above 1 is said in `note`) or a self-contained HTML report (the whole study, with the top K
 * in its leaderboard), or every learning curve of the study in long format (`curves`, for replay in
 * other tools).
 * A study without a complete trial exports an empty list, but for the TS program, which needs a
 * trial to train and rejects with NOT_FOUND.
 */
export async function renderExport(
  store: Store,
  study: Study,
  format: ExportFormat,
  top: number,
  options: RenderOptions = {},
): Promise<ExportResult> {
  const count = Math.max(1, Math.floor(top));
  const now = options.now ?? new Date();
  const app = options.appVersion ?? appVersion();
  const fileName = exportFileName(study.name, format, count);
  const result = (text: string): ExportResult => ({ fileName, mimeType: mimeTypes[format], text });

  if (format === 'html') return result(await renderHtml(store, study, count, now, app));
  if (format === 'curves') return result(await curvesCsv(store, study));
  const trials = await bestTrials(store, study, format === 'ts' ? 1 : count);
  if (format === 'csv') return result(trialsCsv(trials));
  const dataset = await store.getDataset(study.datasetFingerprint);
  if (format === 'ts') {
    const best = trials[0];
    if (!best) throw new TunebenchError('NOT_FOUND', `study "${study.name}" has no complete trial to export yet`);
    // The program's model and loss depend on the task and class count, which only the dataset knows.
    if (!dataset) throw new TunebenchError('NOT_FOUND', `dataset ${study.datasetFingerprint} of study "${study.name}" is not in the store`);
    const note = count > 1 ? `a TS program trains one trial: it reproduces the best (trial ${best.number}); the other ${count - 1} of the top ${count} are not included` : undefined;
    const program = result(await tsProgram({ study, trial: best, config: trialConfig(study, best, dataset), dataset, now, appVersion: app }));
    return note ? { ...program, note } : program;
  }
  const document = exportDocument(study, trials, dataset, { exportedAt: now, appVersion: app });
  // No anchors or aliases: a reader (or a tool) sees every trial's values written out.
  return result(format === 'json' ? JSON.stringify(document, null, 2) + '\n' : stringify(document, { aliasDuplicateObjects: false }));
}
