import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPlainError } from '../api/errors.js';
import { fixtureText } from '../../tests/support/csvFixtures.js';
import { tempStore } from '../../tests/support/tempStore.js';
import { previewCsv } from '../data/csvPreview.js';
import { createUploadScans, type UploadScans } from './uploadScans.js';

let uploads: UploadScans;
let datasetsDir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const temp = await tempStore('tb-uploadscans-');
  datasetsDir = join(temp.dir, 'datasets');
  uploads = createUploadScans(datasetsDir);
  cleanup = temp.cleanup;
});
afterAll(() => cleanup());

const errorOf = (promise: Promise<unknown>) => promise.then(() => null, toPlainError);
const left = () => (existsSync(uploads.dir) ? readdirSync(uploads.dir) : []);

describe('CSV text (Electron) checked as an upload, in a worker thread', () => {
  it('gives the preview of the text read whole, and keeps it by content once however often imported', async () => {
    const text = fixtureText('weather.csv');
    const id = await uploads.fromText(text);
    expect(await uploads.preview(id, 'outlook', 5)).toEqual(previewCsv(text, 'outlook', 5));
    const kept = await uploads.keep(await uploads.fromText(text), 'weather.csv');
    expect(await uploads.keep(await uploads.fromText(text), 'weather.csv')).toBe(kept);
    expect(existsSync(kept) && kept.startsWith(datasetsDir)).toBe(true);
    expect(left()).toEqual([]);
  });

  it('refuses bad text with the message of the whole-text parse, naming the line, and leaves nothing', async () => {
    for (const name of ['ragged.csv', 'unclosed-quote.csv', 'duplicate-header.csv', 'header-only.csv']) {
      const text = fixtureText(name);
      const expected = toPlainError((() => {
        try {
          previewCsv(text);
        } catch (error) {
          return error;
        }
        return null;
      })());
      expect(await errorOf(uploads.fromText(text).then((id) => uploads.preview(id, undefined, 10))), name).toEqual(expected);
      expect(await errorOf(uploads.fromText(text).then((id) => uploads.keep(id, name))), name).toEqual(expected);
    }
    expect(await errorOf(uploads.fromText('a,b\n1,\uFFFD\n'))).toMatchObject({ code: 'CSV_PARSE', issues: [{ where: 'line 2' }] });
    expect(left()).toEqual([]);
  });
});
