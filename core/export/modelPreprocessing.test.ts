import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDataset } from '../data/index.js';
import type { Store } from '../store/store.js';
import { SplitCache } from '../training/splitCache.js';
import { preprocessingFor } from './modelExport.js';
import { createFixtureStudy, featurize, tempStore } from '../../tests/support/export.js';

// Numbers with gaps, ISO dates with a gap, a category: every kind of column preprocessing.json describes.
const header = ['size', 'measured', 'colour', 'label'];
const rows = Array.from({ length: 40 }, (_, i) => [
  i % 5 === 0 ? '' : String(10 + ((i * 37) % 23) + i / 100),
  i % 7 === 3 ? '' : `202${i % 4}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 11) % 28)).padStart(2, '0')}`,
  ['red', 'green', 'blue'][i % 3] as string,
  i % 2 === 0 ? 'a' : 'b',
]);

describe('model export preprocessing', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
  afterEach(() => cleanup());

  it('turns every raw row into exactly the features training saw: training-part fills and scales, test part split off, dates', async () => {
    const csv = join(dir, 'gaps.csv');
    writeFileSync(csv, [header, ...rows].map((row) => row.join(',')).join('\n') + '\n');
    const ref = { csv, target: 'label' };
    const { info } = await loadDataset(ref, dir);
    const { study, trials } = await createFixtureStudy(store, {
      name: 'gaps',
      direction: 'minimize',
      dataset: info,
      trials: [{ params: {}, value: 0.4 }],
      spec: { dataset: ref, validationSplit: 0.25, testSplit: 0.25, seed: 3 },
    });
    const pre = await preprocessingFor(study, trials[0]!, info, dir);
    expect(pre.columns.map((c) => [c.name, c.kind])).toEqual([['size', 'numeric'], ['measured', 'date'], ['colour', 'categorical']]);

    // What a worker trains on: the study's split through the worker's own cache, as a sweep builds the job.
    const split = await new SplitCache().get({
      trialId: 1, number: 0, params: trials[0]!.params, seed: 1, dataset: ref, baseDir: dir,
      datasetFingerprint: info.fingerprint, model: study.spec.model, epochs: 1,
      validationSplit: 0.25, testSplit: 0.25, splitSeed: 3,
    });
    const width = info.featureCount;
    const prepared = rows.map((row) => featurize(pre, Object.fromEntries(header.map((name, i) => [name, row[i] ?? '']))));
    const parts: [string, Float32Array, number][] = [['train', split.trainX, split.trainRows], ['validation', split.valX, split.valRows], ['test', split.testX!, split.testRows!]];
    for (const [part, x, count] of parts) {
      for (let r = 0; r < count; r++) {
        const seen = Array.from(x.subarray(r * width, (r + 1) * width));
        const found = prepared.some((input) => input.length === width && input.every((v, j) => Math.abs(v - (seen[j] as number)) < 1e-5));
        expect(found, `${part} row ${r} (${seen.map((v) => v.toFixed(3)).join(' ')}) from a raw row by preprocessing.json alone`).toBe(true);
      }
    }
  });
});
