// A spec's CSV is kept by a streamed copy (not from bytes in memory): only the bytes that were
// described are kept, and a file changed since is refused with nothing left behind.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHash, copyFileByContent } from './keepByContent.js';

const dir = mkdtempSync(join(tmpdir(), 'tb-keepcopy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('copyFileByContent', () => {
  it('copies the file under its sha256, leaves the original, and reuses a copy already kept', async () => {
    const file = join(dir, 'My Data.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const sha = contentHash(readFileSync(file));
    const datasets = join(dir, 'datasets');
    const kept = await copyFileByContent(file, sha, 'My Data.csv', datasets);
    expect(kept).toBe(join(datasets, sha, 'My_Data.csv'));
    expect(readFileSync(kept, 'utf8')).toBe('a,b\n1,2\n');
    expect(readFileSync(file, 'utf8')).toBe('a,b\n1,2\n');
    expect(await copyFileByContent(file, sha, 'My Data.csv', datasets)).toBe(kept);
  });

  it('refuses a file whose bytes are not the ones described, keeping nothing', async () => {
    const file = join(dir, 'changed.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const described = contentHash(readFileSync(file));
    writeFileSync(file, 'a,b\n1,3\n');
    const datasets = join(dir, 'datasets2');
    await expect(copyFileByContent(file, described, 'changed.csv', datasets)).rejects.toMatchObject({
      code: 'DATASET_MISMATCH',
      message: expect.stringContaining('changed.csv: the file changed while it was being checked'),
    });
    expect(readdirSync(join(datasets, described))).toEqual([]);
  });
});
