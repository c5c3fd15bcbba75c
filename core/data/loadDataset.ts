import { resolve } from 'node:path';
import { TunebenchError } from '../api/errors.js';
import type { DatasetRef } from '../api/spec.js';
import { loadBuiltinDataset } from './builtins/registry.js';
import { loadCsvFile } from './csvDataset.js';
import type { Dataset } from './dataset.js';

/**
 * The dataset a spec names: `builtin:NAME`, or `{ csv, target, task? }` with a relative path taken
 * from `baseDir` (the spec file's folder). Nothing is cached across calls but built-in raw data.
 */
export async function loadDataset(ref: DatasetRef, baseDir: string): Promise<Dataset> {
  if (typeof ref === 'string') {
    const match = /^builtin:(.+)$/.exec(ref);
    if (!match?.[1]) {
      throw new TunebenchError('DATASET_UNKNOWN', `unknown dataset "${ref}"; use builtin:NAME or { csv, target }`, [
        { where: '/dataset', message: 'not builtin:NAME' },
      ]);
    }
    return loadBuiltinDataset(match[1]);
  }
  return loadCsvFile(resolve(baseDir, ref.csv), ref.target, ref.task);
}
