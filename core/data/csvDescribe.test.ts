// Issue 9 defect 5: the host describes a CSV dataset without loading it. The streamed description
// must be exactly what the whole-file load gives (info and fingerprint), and fail exactly as it does.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toPlainError, type PlainError } from '../api/errors.js';
import type { DatasetInfo, Task } from '../api/domain.js';
import { loadCsvFileWithBytes, type CsvOptions } from './csvDataset.js';
import { describeCsvFile } from './csvDescribe.js';
import { scanCsvFile } from './csvScan.js';
import { describeCsvInThread } from './csvScanThread.js';
import { contentHash } from './keepByContent.js';

const fixtures = join(import.meta.dirname, '../../tests/fixtures/csv');
const dir = mkdtempSync(join(tmpdir(), 'tb-describe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { info: DatasetInfo; sha256: string } | { error: PlainError };
type Options = Omit<CsvOptions, 'path' | 'name'>;

async function whole(path: string, opts: Options): Promise<Outcome> {
  try {
    const { dataset, bytes } = await loadCsvFileWithBytes(path, opts);
    return { info: dataset.info, sha256: contentHash(bytes) };
  } catch (error) {
    return { error: toPlainError(error) };
  }
}

async function streamed(path: string, opts: Options): Promise<Outcome> {
  try {
    return await describeCsvFile(path, opts);
  } catch (error) {
    return { error: toPlainError(error) };
  }
}

/** Every column as the target, with and without a forced task, and with another column dropped. */
function optionsFor(header: string[]): Options[] {
  const names = header.length > 0 ? header : ['label'];
  return names.flatMap((target, i) => {
    const other = names[(i + 1) % names.length] as string;
    const tasks: (Task | undefined)[] = [undefined, 'classification', 'regression'];
    return [...tasks.map((task) => ({ target, task })), { target, dropColumns: [other] }];
  });
}

/** The columns a fixture has (none for a file the checks refuse). */
async function headerOf(path: string): Promise<string[]> {
  return (await scanCsvFile(path).catch(() => null))?.header ?? [];
}

describe('describeCsvFile equals the whole-file load', () => {
  for (const file of readdirSync(fixtures).filter((name) => name.endsWith('.csv'))) {
    it(`${file}: every target, task and dropped column`, async () => {
      const path = join(fixtures, file);
      const header = await headerOf(path);
      for (const opts of optionsFor(header)) {
        expect(await streamed(path, opts), `${file} ${JSON.stringify(opts)}`).toEqual(await whole(path, opts));
      }
    });
  }

  it('on missing, infinite and decimal-comma values, dropped target rows and a missing file', async () => {
    const path = join(dir, 'mixed.csv');
    // e turns to text after numbers, f after an infinite value, g after missing cells only.
    const lines = [
      'a;b;c;d;e;f;g',
      '1,5;x;inf;2020-01-02;1;inf;',
      'NA;y;2;;2,5;x;NA',
      '3;;-inf;2021-03-04;lo;1;hi',
      '4,25;x;;2022-12-31;;y;lo',
      '?;z;7;2020-02-29;1;;hi',
    ];
    writeFileSync(path, lines.join('\n') + '\n');
    for (const target of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) {
      for (const opts of [{ target }, { target, task: 'regression' as const }, { target, dropColumns: ['d'] }]) {
        expect(await streamed(path, opts)).toEqual(await whole(path, opts));
      }
    }
    const gone = join(dir, 'gone.csv');
    expect(await streamed(gone, { target: 'a' })).toEqual(await whole(gone, { target: 'a' }));
  });

  it('in a worker thread, with the same answer', async () => {
    const path = join(fixtures, 'weather.csv');
    const header = await headerOf(path);
    const opts = { target: header[header.length - 1] as string };
    expect(await describeCsvInThread(path, opts)).toEqual(await describeCsvFile(path, opts));
    await expect(describeCsvInThread(join(fixtures, 'ragged.csv'), opts)).rejects.toThrow((await whole(join(fixtures, 'ragged.csv'), opts) as { error: PlainError }).error.message);
  });
});
