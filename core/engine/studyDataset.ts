import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { DatasetInfo, Study } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { DatasetRef } from '../api/spec.js';
import { fingerprintOfBytes } from '../data/fingerprint.js';
import { dataHome } from '../paths.js';
import type { Store } from '../store/store.js';
import { DatasetChangedError } from '../training/datasetChangedError.js';

/** Where a machine keeps datasets fetched from a shared store: `<fingerprint>.csv`, checked on every use. */
export function defaultDatasetCacheDir(): string {
  return join(dataHome(), 'dataset-cache');
}

const short = (fingerprint: string) => `${fingerprint.slice(0, 12)}…`;

/**
 * Rejects bytes that are not the study's dataset: their fingerprint (the one rule of
 * core/data/fingerprint.ts, over the bytes, target, task and dropped columns) must be the one the
 * study recorded. DatasetChangedError (a trial ends DATASET_CHANGED) naming both fingerprints.
 */
export function checkDatasetBytes(bytes: Uint8Array, study: Study, info: DatasetInfo | null, where: string): void {
  const ref = study.spec.dataset;
  const drop = typeof ref === 'string' ? [] : (ref.dropColumns ?? []);
  const found = info ? fingerprintOfBytes(bytes, info, drop) : 'unknown (no dataset row)';
  if (found === study.datasetFingerprint) return;
  throw new DatasetChangedError(
    `dataset of study ${study.name}: ${where} does not match the study's fingerprint ${study.datasetFingerprint} ` +
      `(its bytes give ${found.length === 64 ? short(found) : found}); it was not used`,
    [{ where: '/dataset', message: 'fingerprint mismatch' }],
  );
}

/**
 * The dataset this machine trains (or exports) a study on. A built-in, or a CSV found at the
 * study's path, is used as it is (training checks the fingerprint of what it reads). Otherwise
 * the copy a shared store keeps by fingerprint is fetched into `cacheDir/<fingerprint>.csv`,
 * checked against the fingerprint before it is written there (temp file + rename) and again
 * whenever it is read back, so a damaged blob or cache file never trains a trial.
 */
export async function studyDatasetHere(store: Store, study: Study, baseDir: string, cacheDir: string): Promise<DatasetRef> {
  const ref = study.spec.dataset;
  // A local store keeps no copies: a missing file fails where it is read, as it always has.
  if (typeof ref === 'string' || !store.datasetBytes || existsSync(resolve(baseDir, ref.csv))) return ref;
  const fingerprint = study.datasetFingerprint;
  const info = await store.getDataset(fingerprint);
  const cached = join(cacheDir, `${fingerprint}.csv`);
  if (existsSync(cached)) {
    try {
      checkDatasetBytes(await readFile(cached), study, info, `the cached copy ${cached}`);
      return { ...ref, csv: cached };
    } catch {
      await rm(cached, { force: true }); // damaged on this disk: fetch it again
    }
  }
  const bytes = await store.datasetBytes(fingerprint);
  if (!bytes) {
    throw new TunebenchError(
      'DATASET_UNKNOWN',
      `dataset ${ref.csv} of study ${study.name} is not on this machine, and the database keeps no copy of fingerprint ${short(fingerprint)} ` +
        '(over the size cap, or the study was stored before copies were kept): put the file at that path',
      [{ where: '/dataset/csv', message: 'not found here' }],
    );
  }
  checkDatasetBytes(bytes, study, info, `the copy stored in the database (dataset_blob ${short(fingerprint)})`);
  await mkdir(cacheDir, { recursive: true });
  const temp = `${cached}.${process.pid}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, cached);
  } finally {
    await rm(temp, { force: true });
  }
  return { ...ref, csv: cached };
}
