import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apiMethods } from '../../core/api/contract.js';
import { parseRequest } from '../../core/api/dispatch.js';
import { TunebenchError, toPlainError } from '../../core/api/errors.js';
import { describeCsvFile } from '../../core/data/csvDescribe.js';
import { scanCsvFile } from '../../core/data/csvScan.js';
import { decodeCsvBytes } from '../../core/data/csvText.js';
import { loadCsvFile, parseCsvBytes, previewCsv, previewSummary } from '../../core/data/index.js';
import { parseSpecText, validateSpec } from '../../core/space/parseSpec.js';
import { tally } from './tally.js';

// Property-based fuzzing with a fixed seed and a bounded count, so CI runs the same cases each
// time: whatever comes in, the answer is a value or a TunebenchError naming where, never a crash.
const runs = { seed: 20_261_129, numRuns: 150 } as const;

/**
 * Runs `body`; a thrown error must be a user-input TunebenchError with a message, and with a
 * located issue unless `isWholeInputAllowed` (a CSV can be wrong as a whole: empty, one column).
 */
function valueOrNamedError(body: () => unknown, codes: readonly string[], isWholeInputAllowed = false): void {
  try {
    body();
  } catch (error) {
    if (!(error instanceof TunebenchError)) throw new Error(`not a TunebenchError: ${String(error)}`, { cause: error });
    expect(codes).toContain(error.code);
    expect(error.isUserInput).toBe(true);
    expect(error.message.length).toBeGreaterThan(10);
    if (!isWholeInputAllowed) expect(error.issues.length).toBeGreaterThan(0);
    for (const issue of error.issues) expect(issue.where).not.toBe('');
  }
  tally('badInputsTried');
}

const specCodes = ['SPEC_PARSE', 'SPEC_INVALID'];
const specKeys = ['name', 'dataset', 'model', 'objective', 'epochs', 'validationSplit', 'space', 'search', 'pruner', 'workers', 'seed', 'limits'];

/** Spec-shaped values: mostly the right keys with wrong or right values, sometimes junk. */
const specLike = fc.dictionary(fc.oneof(fc.constantFrom(...specKeys), fc.string({ maxLength: 8 })), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 });

describe('spec parser', () => {
  it('any text: a spec or SPEC_PARSE/SPEC_INVALID with a place', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 300, unit: 'binary' }),
      specLike.map((value) => JSON.stringify(value)),
      fc.array(fc.tuple(fc.constantFrom(...specKeys, 'x', '- a', '&a', '*a', '? k'), fc.string({ maxLength: 20 })), { maxLength: 12 }).map((lines) =>
        lines.map(([key, value]) => `${key}: ${value}`).join('\n'),
      ),
    );
    fc.assert(fc.property(text, (spec) => valueOrNamedError(() => parseSpecText(spec), specCodes)), runs);
  });

  it('any value through the API: a spec or SPEC_INVALID with a JSON pointer', () => {
    fc.assert(
      fc.property(specLike, (value) =>
        valueOrNamedError(() => validateSpec({ dataset: 'builtin:iris', space: { optimizer: 'adam', learningRate: 0.01, batchSize: 8 }, ...value }), ['SPEC_INVALID']),
      ),
      runs,
    );
  });
});

describe('CSV importer', () => {
  const cell = fc.oneof(fc.integer({ min: -50, max: 50 }).map(String), fc.double({ noNaN: false }).map(String), fc.constantFrom('', 'NaN', 'inf', 'a', '"q"', '"x,y"', '"', ' '), fc.string({ maxLength: 6 }));
  const csv = fc
    .tuple(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(cell, { minLength: 0, maxLength: 6 }), { maxLength: 12 }), fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\r\n'))
    .map(([columns, rows, delimiter, newline]) => {
      const header = Array.from({ length: columns }, (_, i) => (i === columns - 1 ? 'y' : `c${i}`)).join(delimiter);
      return [header, ...rows.map((row) => row.join(delimiter))].join(newline);
    });
  const csvCodes = ['CSV_PARSE', 'CSV_SHAPE', 'ARGUMENT_INVALID', 'DATASET_MISMATCH', 'DATASET_UNKNOWN'];

  it('any table text: a dataset or a CSV error naming the line or column', () => {
    fc.assert(fc.property(csv, (text) => valueOrNamedError(() => parseCsvBytes(Buffer.from(text, 'utf8'), { target: 'y', name: 'fuzz' }), csvCodes, true)), runs);
  });

  it('any table bytes: the streamed scan judges them as reading them whole does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-fuzzscan-'));
    const path = join(dir, 'fuzz.csv');
    const asPlain = (error: unknown) => toPlainError(error);
    try {
      await fc.assert(
        fc.asyncProperty(fc.oneof(csv.map((text) => Buffer.from(text, 'utf8')), fc.uint8Array({ maxLength: 200 }).map((data) => Buffer.from(data))), async (data) => {
          writeFileSync(path, data);
          const streamed = await scanCsvFile(path).then((scan) => previewSummary(scan, undefined, 100), asPlain);
          let whole: unknown;
          try {
            whole = previewCsv(decodeCsvBytes(data), undefined, 100);
          } catch (error) {
            whole = asPlain(error);
          }
          expect(streamed).toEqual(whole);
        }),
        runs,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('any table bytes: the streamed description on the host equals the whole load (DatasetInfo or error)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-fuzzdescribe-'));
    const path = join(dir, 'fuzz.csv');
    const asPlain = (error: unknown) => toPlainError(error);
    try {
      await fc.assert(
        fc.asyncProperty(csv, fc.constantFrom(undefined, 'classification' as const, 'regression' as const), async (text, task) => {
          writeFileSync(path, text);
          const opts = { target: 'y', task };
          const streamed = await describeCsvFile(path, opts).then(({ info }) => info, asPlain);
          const whole = await loadCsvFile(path, 'y', task).then(({ info }) => info, asPlain);
          expect(streamed).toEqual(whole);
        }),
        runs,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('any bytes: a dataset or a CSV error, also in the preview', () => {
    const bytes = fc.uint8Array({ maxLength: 400 });
    fc.assert(
      fc.property(bytes, (data) => {
        valueOrNamedError(() => parseCsvBytes(data, { target: 'y', name: 'fuzz' }), csvCodes, true);
        valueOrNamedError(() => previewCsv(Buffer.from(data).toString('utf8')), csvCodes, true);
      }),
      runs,
    );
  });
});

describe('API request schemas', () => {
  it('any request to any method: parsed or ARGUMENT_INVALID with a path', () => {
    fc.assert(
      fc.property(fc.constantFrom(...apiMethods), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.object({ maxDepth: 2 })), (method, request) =>
        valueOrNamedError(() => parseRequest(method, request), ['ARGUMENT_INVALID']),
      ),
      runs,
    );
  });
});
