import { isAbsolute, resolve } from 'node:path';
import type { DatasetInfo } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { DatasetRef } from '../api/spec.js';
import { loadBuiltinDataset } from './builtins/registry.js';
import { loadCsvFileWithBytes } from './csvDataset.js';
import { describeCsvInThread } from './csvScanThread.js';
import type { Dataset } from './dataset.js';

/** A dataset and, for a CSV, the file read and its bytes (so exactly these can be kept by content). */
export interface LoadedDataset {
  dataset: Dataset;
  source: { path: string; bytes: Uint8Array } | null;
}

/** The ref with a relative CSV path made absolute against `baseDir` (the spec file's folder). */
export function resolveDatasetRef(ref: DatasetRef, baseDir: string): DatasetRef {
  if (typeof ref === 'string' || isAbsolute(ref.csv)) return ref;
  return { ...ref, csv: resolve(baseDir, ref.csv) };
}

/**
 * The dataset a spec names: `builtin:NAME`, or `{ csv, target, task?, dropColumns? }` with a
 * relative path taken from `baseDir` (the spec file's folder). Nothing is cached across calls but
 * built-in raw data.
 */
export async function loadDataset(ref: DatasetRef, baseDir: string): Promise<Dataset> {
  return (await loadDatasetSource(ref, baseDir)).dataset;
}

export async function loadDatasetSource(ref: DatasetRef, baseDir: string): Promise<LoadedDataset> {
  if (typeof ref === 'string') return { dataset: loadBuiltin(ref), source: null };
  const path = resolve(baseDir, ref.csv);
  const { dataset, bytes } = await loadCsvFileWithBytes(path, { target: ref.target, task: ref.task, dropColumns: ref.dropColumns });
  return { dataset, source: { path, bytes } };
}

/** What describeDataset gives: the DatasetInfo and, for a CSV, the file and the sha256 of the bytes described. */
export interface DescribedDataset {
  info: DatasetInfo;
  source: { path: string; sha256: string } | null;
}

/**
 * The DatasetInfo loadDataset's dataset has, without loading a CSV into this process: the file is
 * streamed through in a worker thread (csvDescribe.ts), so describing a 200 MB file neither
 * lifts the host's memory nor blocks its event loop. Built-in datasets are small and loaded.
 */
export async function describeDataset(ref: DatasetRef, baseDir: string): Promise<DescribedDataset> {
  if (typeof ref === 'string') return { info: loadBuiltin(ref).info, source: null };
  const path = resolve(baseDir, ref.csv);
  const { info, sha256 } = await describeCsvInThread(path, { target: ref.target, task: ref.task, dropColumns: ref.dropColumns });
  return { info, source: { path, sha256 } };
}

function loadBuiltin(ref: string): Dataset {
  const match = /^builtin:(.+)$/.exec(ref);
  if (!match?.[1]) {
    throw new TunebenchError('DATASET_UNKNOWN', `unknown dataset "${ref}"; use builtin:NAME or { csv, target }`, [
      { where: '/dataset', message: 'not builtin:NAME' },
    ]);
  }
  return loadBuiltinDataset(match[1]);
}
