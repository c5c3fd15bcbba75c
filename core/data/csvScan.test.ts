import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toPlainError, TunebenchError } from '../api/errors.js';
import { fixtureBytes, fixturePath } from '../../tests/support/csvFixtures.js';
import { parseCsvBytes } from './csvDataset.js';
import { previewCsv, previewSummary } from './csvPreview.js';
import { scanCsvFile } from './csvScan.js';
import { scanCsvInThread } from './csvScanThread.js';
import { contentHash } from './keepByContent.js';

const dir = mkdtempSync(join(tmpdir(), 'tb-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What reading the file whole gives: its preview, or the error an import would report. */
function wholeFile(bytes: Buffer): unknown {
  try {
    parseCsvBytes(bytes, { target: 'nonexistent-target', name: 'x' });
  } catch (error) {
    const plain = toPlainError(error);
    if (plain.code !== 'DATASET_MISMATCH') return plain;
  }
  return previewCsv(bytes.toString('utf8').replace(/^\uFEFF/, ''), undefined, 100);
}

async function streamed(path: string): Promise<unknown> {
  try {
    return previewSummary(await scanCsvFile(path), undefined, 100);
  } catch (error) {
    return toPlainError(error);
  }
}

describe('scanCsvFile', () => {
  const fixtures = readdirSync(fixturePath('.')).filter((name) => name.endsWith('.csv'));
  it.each(fixtures)('judges %s as reading it whole does: the same preview or the same error', async (name) => {
    expect(await streamed(fixturePath(name))).toEqual(wholeFile(fixtureBytes(name)));
  });

  it('fingerprints the bytes as they stream by, and names the line of a fault far into the file', async () => {
    const good = 'a,b,label\n' + '1,2.5,x\n3,4,y\n'.repeat(200_000);
    const path = join(dir, 'big.csv');
    writeFileSync(path, good + '5,6\n' + '7,8,z\n'.repeat(10));
    const error = await streamed(path);
    expect(error).toMatchObject({ code: 'CSV_SHAPE', issues: [{ where: 'line 400002', message: 'expected 3 columns, found 2' }] });
    writeFileSync(path, good);
    const scan = await scanCsvFile(path);
    expect(scan.sha256).toBe(contentHash(Buffer.from(good)));
    expect(scan.rowCount).toBe(400_000);
    expect(scan.columns.map((c) => [c.kind, c.distinct, c.task])).toEqual([
      ['numeric', 2, 'classification'],
      ['numeric', 2, 'regression'],
      ['categorical', 2, 'classification'],
    ]);
  });

  it('names the line of a bad UTF-8 sequence split across read chunks', async () => {
    const prefix = Buffer.from('a,b\n' + 'x'.repeat((1 << 20) - 5) + ',1\n');
    // é (C3 A9) then a lone C3: the first byte of each lands at a chunk boundary.
    const path = join(dir, 'split.csv');
    writeFileSync(path, Buffer.concat([prefix.subarray(0, (1 << 20) - 1), Buffer.from([0xc3, 0xa9]), prefix.subarray((1 << 20) - 1), Buffer.from('z,\xc3\n', 'latin1')]));
    expect(await streamed(path)).toMatchObject({ code: 'CSV_PARSE', issues: [{ where: 'line 3' }] });
  });
});

describe('scanCsvInThread', () => {
  it('gives the scan, or the scan error with its line, from a worker thread', async () => {
    const path = fixturePath('weather.csv');
    expect(await scanCsvInThread(path)).toEqual(await scanCsvFile(path));
    const error = await scanCsvInThread(fixturePath('ragged.csv')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TunebenchError);
    expect(toPlainError(error)).toEqual(await streamed(fixturePath('ragged.csv')));
  });
});

describe('distinct counts in a wide file', () => {
  it('are capped so all columns together remember at most a million values (500 columns: 2000 each)', () => {
    const header = Array.from({ length: 500 }, (_, c) => `c${c}`).join(',');
    const rows = Array.from({ length: 2100 }, (_, r) => Array.from({ length: 500 }, (_, c) => r * 500 + c).join(','));
    const preview = previewCsv([header, ...rows].join('\n'));
    expect(preview.rowCount).toBe(2100);
    expect(new Set(preview.columns.map((column) => column.distinct))).toEqual(new Set([2000]));
  });
});
