import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { DatasetInfo, Study, Trial } from '../api/domain.js';
import { basename } from 'node:path';
import { fingerprintOfBytes } from '../data/fingerprint.js';
import { keepCsvByContent } from '../data/keepByContent.js';
import { finishedStates } from '../api/domain.js';
import type { Store } from './store.js';

/**
 * Copies studies (every one, or those named) from one store to another through the Store
 * interface alone, so it works between SQLite and PostgreSQL either way: the dataset, the study
 * (spec, status, notes, tags), and each trial in number order with its lineage, times, state,
 * curves and notes. Ids and the study's created/updated times are the target's own; trial numbers
 * and times are kept. A name the target already has
 * is refused (CONFLICT) before anything of that study is written. Trial files are not copied; a
 * CSV dataset's bytes go along to a store that keeps them for other machines (PostgreSQL).
 */
export async function copyStudies(from: Store, to: Store, names?: readonly string[], options: CopyOptions = {}): Promise<Study[]> {
  const studies = names ? await Promise.all(names.map((name) => from.getStudy(name))) : (await from.listStudies()).reverse();
  const copied: Study[] = [];
  for (const source of studies) copied.push(await copyStudy(from, to, source, options));
  return copied;
}

export interface CopyOptions {
  /**
   * Where a local target keeps a CSV that is not on this machine but in the source's database
   * (a study coming home from a server): kept by content there, and the copy's spec points at it.
   */
  datasetsDir?: string;
}

async function copyStudy(from: Store, to: Store, source: Study, options: CopyOptions): Promise<Study> {
  const stored = await from.getDataset(source.datasetFingerprint);
  if (!stored) throw new Error(`study ${source.name}: its dataset ${source.datasetFingerprint} is not in the source store`);
  await copyDatasetBytes(from, to, source, stored);
  const placed = to.keepDatasetBytes || !options.datasetsDir ? null : await placeDatasetHere(from, source, stored, options.datasetsDir);
  const ref = source.spec.dataset;
  const spec = placed && typeof ref !== 'string' ? { ...source.spec, dataset: { ...ref, csv: placed } } : source.spec;
  const dataset = placed ? { ...stored, key: `csv:${placed}`, path: placed } : stored;
  const target = await to.createStudy({ name: source.name, spec, plannedTrials: source.plannedTrials, dataset, appVersion: source.appVersion });
  const { rows } = await from.listTrials(source.id, { sort: 'number', limit: Number.MAX_SAFE_INTEGER });
  const newIds = new Map<number, number>();
  for (const trial of rows) newIds.set(trial.id, (await copyTrial(from, to, target.id, trial, newIds)).id);
  await to.updateStudy(target.id, { notes: source.notes, tags: source.tags });
  // Interrupted is a reading of an expired lease, not a stored status: the copy has no owner.
  await to.setStudyStatus(target.id, source.status === 'interrupted' ? 'running' : source.status, source.statusReason);
  return to.getStudy(target.id);
}

async function copyTrial(from: Store, to: Store, studyId: number, trial: Trial, newIds: ReadonlyMap<number, number>): Promise<Trial> {
  const retryOf = trial.retryOf === null ? null : (newIds.get(trial.retryOf) ?? null);
  const copy = await to.createTrial(studyId, trial.params, trial.seed, trial.retries, retryOf);
  if (trial.startedAt !== null) await to.markTrialRunning(copy.id, trial.worker ?? 'copied', trial.startedAt);
  const points = (await from.getMetrics([trial.id])).map((point) => ({ ...point, trialId: copy.id }));
  if (finishedStates.has(trial.state)) {
    const { state } = trial as Trial & { state: 'complete' | 'pruned' | 'failed' | 'cancelled' };
    await to.finishTrial(copy.id, {
      state, value: trial.value, bestEpoch: trial.bestEpoch, epochsRun: trial.epochsRun, endedAt: trial.endedAt ?? trial.startedAt ?? 0,
      error: trial.error, errorCode: trial.errorCode, backend: trial.backend, backendNote: trial.backendNote,
      adapter: trial.adapter,
    }, points);
  } else if (points.length > 0) {
    await to.appendMetrics(points);
  }
  if (trial.notes !== '' || trial.tags.length > 0) await to.updateTrialNotes(copy.id, { notes: trial.notes, tags: trial.tags });
  return copy;
}

/** From the source store's copy, else the file the study reads; only bytes that give its fingerprint. */
async function copyDatasetBytes(from: Store, to: Store, source: Study, dataset: DatasetInfo): Promise<void> {
  const ref = source.spec.dataset;
  if (!to.keepDatasetBytes || typeof ref === 'string') return;
  const fingerprint = source.datasetFingerprint;
  const bytes = (await from.datasetBytes?.(fingerprint)) ?? (existsSync(ref.csv) ? await readFile(ref.csv) : null);
  if (bytes && fingerprintOfBytes(bytes, dataset, ref.dropColumns) === fingerprint) await to.keepDatasetBytes(fingerprint, bytes);
}

/** The source's copy of a CSV missing here, written under `datasetsDir` by content; null when not needed or none matches. */
async function placeDatasetHere(from: Store, source: Study, dataset: DatasetInfo, datasetsDir: string): Promise<string | null> {
  const ref = source.spec.dataset;
  if (typeof ref === 'string' || existsSync(ref.csv)) return null;
  const bytes = await from.datasetBytes?.(source.datasetFingerprint);
  if (!bytes || fingerprintOfBytes(bytes, dataset, ref.dropColumns) !== source.datasetFingerprint) return null;
  return keepCsvByContent(bytes, basename(ref.csv), datasetsDir);
}
