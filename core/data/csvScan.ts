import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { CsvRecordChecker, type CheckedRecords } from './csvRecords.js';
import { CsvSummaryBuilder, type CsvSummary } from './csvSummary.js';
import { QuoteFreeSplitter } from './csvQuoteFree.js';
import { checkColumnCap, detectDelimiter, parserOptions, quoteError, type CsvDelimiter } from './csvTable.js';
import { csvTooLarge, CsvTextDecoder, maxCsvBytes } from './csvText.js';

/** A streamed file's summary and the sha256 of its bytes (the folder it is kept in). */
export interface CsvScan extends CsvSummary {
  sha256: string;
  bytes: number;
  /** `;` files read `3,5` as 3.5. */
  isDecimalComma: boolean;
}

/** What else a pass over the file feeds, beside the summary: each checked data row, each chunk of bytes. */
export interface ScanListeners {
  /** Before the first row: how numbers are written (`;` files read `3,5` as 3.5). */
  onStart?: (isDecimalComma: boolean) => void;
  onRow?: (row: string[]) => void;
  onBytes?: (chunk: Buffer) => void;
}

const chunkBytes = 1 << 20;
/** Text read before parsing starts: the first line decides the delimiter and the column cap. */
const headChars = 1 << 20;

/** A streamed file's checked records and the sha256 of its bytes, without a summary. */
export interface CsvStreamed {
  checked: CheckedRecords;
  sha256: string;
  /** The sha256 state after every byte, not yet digested: a fingerprint goes on from it. */
  hash: Hash;
  bytes: number;
  /** `;` files read `3,5` as 3.5. */
  isDecimalComma: boolean;
}

/**
 * Reads a CSV file as a stream and checks it with the rules an import applies to a file read
 * whole (encoding, delimiter, quotes, shape, names: the same code), keeping only a summary: the
 * memory used does not grow with the rows. The sha256 is taken of the bytes as they are read.
 */
export async function scanCsvFile(path: string, listeners: ScanListeners = {}): Promise<CsvScan> {
  let summary: CsvSummaryBuilder | null = null;
  const streamed = await streamCsvRecords(path, {
    ...listeners,
    onStart: (isDecimalComma) => {
      summary = new CsvSummaryBuilder(isDecimalComma);
      listeners.onStart?.(isDecimalComma);
    },
    onRow: (row) => {
      summary?.addRow(row);
      listeners.onRow?.(row);
    },
  });
  const built = summary ?? new CsvSummaryBuilder(streamed.isDecimalComma);
  return { ...built.finish(streamed.checked), sha256: streamed.sha256, bytes: streamed.bytes, isDecimalComma: streamed.isDecimalComma };
}

/**
 * The pass under scanCsvFile, for a reader that keeps its own tallies (csvDescribe.ts): the
 * summary's per-cell distinct counts cost more than the parse on a wide numeric file.
 */
export async function streamCsvRecords(path: string, listeners: ScanListeners = {}): Promise<CsvStreamed> {
  const info = await stat(path);
  if (info.size > maxCsvBytes) throw csvTooLarge(info.size);
  const hash = createHash('sha256');
  const decoder = new CsvTextDecoder();
  let bytes = 0;
  async function* decoded(): AsyncGenerator<string> {
    for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
      const data = chunk as Buffer;
      hash.update(data);
      listeners.onBytes?.(data);
      bytes += data.length;
      const text = decoder.push(data);
      if (text) yield text;
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }
  const texts = decoded();
  let head = '';
  while (head.length < headChars) {
    const next = await texts.next();
    if (next.done) break;
    head += next.value;
  }
  const delimiter = detectDelimiter(head);
  checkColumnCap(head, delimiter);
  listeners.onStart?.(delimiter === ';');
  const checker = new CsvRecordChecker((row) => listeners.onRow?.(row));
  const splitter = new QuoteFreeSplitter(delimiter, (record, line) => checker.push(record, line));
  let quoted = splitter.write(head);
  while (quoted === null) {
    const next = await texts.next();
    if (next.done) break;
    quoted = splitter.write(next.value);
  }
  if (quoted === null) splitter.end();
  else await parseQuoted(quoted, texts, delimiter, checker, splitter.lines);
  return { checked: checker.finish(), sha256: hash.copy().digest('hex'), hash, bytes, isDecimalComma: delimiter === ';' };
}

/** The rest of a file from its first line holding a quote, through csv-parse, numbered on from `offset`. */
async function parseQuoted(first: string, rest: AsyncGenerator<string>, delimiter: CsvDelimiter, checker: CsvRecordChecker, offset: number): Promise<void> {
  const parser = parse({
    ...parserOptions(delimiter),
    on_record: (record: string[], context) => {
      checker.push(record, context.lines + offset);
      return null;
    },
  });
  async function* all(): AsyncGenerator<string> {
    yield first;
    yield* rest;
  }
  // Records never leave the parser (on_record keeps none), so the sink only ends the pipeline.
  const sink = new Writable({ objectMode: true, write: (_record, _encoding, done) => done() });
  try {
    await pipeline(Readable.from(all()), parser, sink);
  } catch (error) {
    throw quoteError(error, () => checker.lastEndLine, offset);
  }
}
