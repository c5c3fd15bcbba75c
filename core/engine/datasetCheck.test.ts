import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Study } from '../api/domain.js';
import type { DatasetRef } from '../api/spec.js';
import { describeDataset } from '../data/index.js';
import { pointsCsv } from '../../tests/support/dataFiles.js';
import { datasetChange } from './datasetCheck.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tunebench-datasetcheck-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A study as the store gives it, recording the fingerprint the dataset had when it was created. */
async function studyOn(ref: DatasetRef): Promise<Study> {
  const { info } = await describeDataset(ref, dir);
  return { name: 'points', spec: { dataset: ref }, datasetFingerprint: info.fingerprint } as unknown as Study;
}

describe('datasetChange', () => {
  it('accepts the file the study was created from, whichever task was inferred or given', async () => {
    writeFileSync(join(dir, 'points.csv'), pointsCsv());
    writeFileSync(join(dir, 'mass.csv'), 'x,mass\n1,2.5\n2,3.5\n3,4.25\n4,5.5\n');
    for (const ref of [
      { csv: 'points.csv', target: 'label' },
      { csv: 'points.csv', target: 'label', task: 'classification' as const },
      { csv: 'mass.csv', target: 'mass' },
      { csv: 'points.csv', target: 'label', dropColumns: ['x2'] },
    ]) {
      expect(await datasetChange(await studyOn(ref), dir)).toBeNull();
    }
  });

  it('names a changed file, or one read with other dropped columns, with both fingerprints', async () => {
    writeFileSync(join(dir, 'points.csv'), pointsCsv());
    const study = await studyOn({ csv: 'points.csv', target: 'label' });
    writeFileSync(join(dir, 'points.csv'), pointsCsv(true));
    expect(await datasetChange(study, dir)).toMatch(
      new RegExp(`points.csv has changed since the study started \\(fingerprint [0-9a-f]{12}…, the study recorded ${study.datasetFingerprint.slice(0, 12)}…\\)`),
    );
    writeFileSync(join(dir, 'points.csv'), pointsCsv());
    const dropped = { ...study, spec: { dataset: { csv: 'points.csv', target: 'label', dropColumns: ['x2'] } } } as unknown as Study;
    expect(await datasetChange(dropped, dir)).toMatch(/has changed since the study started/);
  });

  it('says a missing file cannot be read, and ignores built-in datasets', async () => {
    writeFileSync(join(dir, 'points.csv'), pointsCsv());
    const study = await studyOn({ csv: 'points.csv', target: 'label' });
    rmSync(join(dir, 'points.csv'));
    expect(await datasetChange(study, dir)).toMatch(/dataset points.csv cannot be read: .*ENOENT.*restore the file/);
    expect(await datasetChange({ spec: { dataset: 'builtin:iris' } } as unknown as Study, dir)).toBeNull();
  });
});
