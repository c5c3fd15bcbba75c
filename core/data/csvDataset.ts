import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Task } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import { csvDatasetName } from '../api/studyName.js';
import { parseCsvTable } from './csvTable.js';
import { checkCsvText, decodeCsvBytes, maxCsvBytes } from './csvText.js';
import type { Dataset } from './dataset.js';
import { encodeTable, type TableMeta } from './encodeTable.js';

export interface CsvOptions {
  target: string;
  /** Overrides the inferred task (classification for text or few integer values). */
  task?: Task;
  /** Absolute path of the file, when there is one; it names the dataset. */
  path?: string | null;
  /** Display name when there is no path (a browser upload). */
  name?: string;
  /** Columns left out of the features. */
  dropColumns?: readonly string[];
}

/** A dataset from CSV text decoded elsewhere (a browser upload); fingerprinted over its UTF-8 bytes. */
export function parseCsvText(text: string, opts: CsvOptions): Dataset {
  return fromText(checkCsvText(text), Buffer.from(text, 'utf8'), opts);
}

/** A dataset from the raw bytes of a CSV file: encoding checks first, then parsing and encoding. */
export function parseCsvBytes(bytes: Uint8Array, opts: CsvOptions): Dataset {
  return fromText(decodeCsvBytes(bytes), bytes, opts);
}

/** Reads and encodes a CSV file; every error names the file. */
export async function loadCsvFile(path: string, target: string, task?: Task, dropColumns?: readonly string[]): Promise<Dataset> {
  return (await loadCsvFileWithBytes(path, { target, task, dropColumns })).dataset;
}

/** loadCsvFile, also giving the bytes read, so exactly what was checked can be kept by content. */
export async function loadCsvFileWithBytes(path: string, opts: Omit<CsvOptions, 'path'>): Promise<{ dataset: Dataset; bytes: Uint8Array }> {
  const absolute = resolve(path);
  const bytes = await readCsvBytes(absolute);
  try {
    return { dataset: parseCsvBytes(bytes, { ...opts, path: absolute }), bytes };
  } catch (error) {
    throw withFileName(error, absolute);
  }
}

/** The file's bytes, refusing a missing file, a directory or one over the size cap before reading it. */
export async function readCsvBytes(absolute: string): Promise<Uint8Array> {
  await checkCsvFile(absolute);
  return readFile(absolute);
}

/** Refuses a missing file, a directory or one over the size cap, naming the file. */
export async function checkCsvFile(absolute: string): Promise<void> {
  const info = await stat(absolute).catch(() => null);
  if (!info || !info.isFile()) {
    throw new TunebenchError('DATASET_UNKNOWN', `CSV file not found: ${absolute}`, [{ where: '/dataset/csv', message: `not found: ${absolute}` }]);
  }
  if (info.size > maxCsvBytes) {
    const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
    throw new TunebenchError(
      'CSV_SHAPE',
      `${basename(absolute)}: the file is too large (${mb(info.size)}; at most ${mb(maxCsvBytes)} can be imported). Sample or split it first`,
    );
  }
}

export function withFileName(error: unknown, path: string): unknown {
  if (!(error instanceof TunebenchError)) return error;
  return new TunebenchError(error.code, `${basename(path)}: ${error.message}`, error.issues);
}

function fromText(text: string, bytes: Uint8Array, opts: CsvOptions): Dataset {
  const table = parseCsvTable(text);
  return encodeTable(
    {
      header: table.header,
      rows: table.rows,
      target: opts.target,
      task: opts.task,
      isDecimalComma: table.delimiter === ';',
      dropColumns: opts.dropColumns,
    },
    csvTableMeta(opts, [bytes]),
  );
}

/** How a CSV dataset is named, keyed and described, whether read whole or described as it streams. */
export function csvTableMeta(opts: CsvOptions, sourceBytes: TableMeta['sourceBytes']): TableMeta {
  const path = opts.path ?? null;
  const file = path ? basename(path) : (opts.name ?? 'upload.csv');
  return {
    key: `csv:${path ?? file}`,
    name: csvDatasetName(file),
    source: 'csv',
    path,
    description: `CSV file ${file}, target "${opts.target}".`,
    sourceBytes,
  };
}
