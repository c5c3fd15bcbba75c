import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { DatasetInfo } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import { isMissingTrimmed, parseNumberTrimmed, type ColumnProfile } from './columns.js';
import { checkCsvFile, csvTableMeta, withFileName, type CsvOptions } from './csvDataset.js';
import { scanCsvFile } from './csvScan.js';
import { describeTable } from './encodeTable.js';

/** A CSV file's DatasetInfo as loading it whole gives it, and the sha256 of the bytes it describes. */
export interface CsvDescription {
  info: DatasetInfo;
  sha256: string;
}

/**
 * Describes a CSV file without holding its text or its feature matrix: the DatasetInfo (columns,
 * rows, task, classes, fingerprint) equals loadCsvFile's, errors included. Two streamed passes:
 * the first checks the file with the shared rules and learns which columns are numeric, the
 * second keeps one number (or one shared string) per cell, which is what profileColumn holds.
 */
export async function describeCsvFile(path: string, opts: Omit<CsvOptions, 'path' | 'name'>): Promise<CsvDescription> {
  const absolute = resolve(path);
  await checkCsvFile(absolute);
  try {
    const first = await scanCsvFile(absolute);
    const columns = first.columns.map((column) => new ColumnCollector(column.name, column.kind === 'numeric', first.rowCount, first.isDecimalComma));
    const hash = createHash('sha256');
    const second = await scanCsvFile(absolute, {
      onBytes: (chunk) => hash.update(chunk),
      onRow: (row) => columns.forEach((column, i) => column.add(row[i] ?? '')),
    });
    if (second.sha256 !== first.sha256 || second.rowCount !== first.rowCount) {
      throw new TunebenchError('DATASET_MISMATCH', 'the file changed while it was being read; try again once it is written');
    }
    const table = { header: second.header, rowCount: second.rowCount, profiles: columns.map((column) => column.profile()) };
    const input = { ...table, target: opts.target, task: opts.task, isDecimalComma: second.isDecimalComma, dropColumns: opts.dropColumns };
    return { info: describeTable(input, csvTableMeta({ ...opts, path: absolute }, hash)), sha256: second.sha256 };
  } catch (error) {
    throw withFileName(error, absolute);
  }
}

/** One column's cells as profileColumn reads them (columns.ts), in a typed array or as shared strings. */
class ColumnCollector {
  private readonly numbers: Float64Array | null;
  private readonly texts: (string | null)[] | null;
  /** Each distinct text once, so a column of few categories costs a reference per row. */
  private readonly shared = new Map<string, string>();
  private row = 0;
  private missing = 0;
  private infinite = 0;

  constructor(
    private readonly name: string,
    isNumeric: boolean,
    rows: number,
    private readonly isDecimalComma: boolean,
  ) {
    this.numbers = isNumeric ? new Float64Array(rows) : null;
    this.texts = isNumeric ? null : new Array<string | null>(rows).fill(null);
  }

  add(cell: string): void {
    const r = this.row++;
    const text = cell.trim();
    const isMissing = isMissingTrimmed(text);
    if (this.texts) {
      if (isMissing) this.missing++;
      else this.texts[r] = this.share(text);
      return;
    }
    const numbers = this.numbers as Float64Array;
    const value = isMissing ? null : parseNumberTrimmed(text, this.isDecimalComma);
    if (value !== null && Number.isFinite(value)) {
      numbers[r] = value;
      return;
    }
    numbers[r] = NaN;
    this.missing++;
    if (value !== null) this.infinite++;
  }

  profile(): ColumnProfile {
    const kind = this.numbers ? 'numeric' : 'categorical';
    return { name: this.name, kind, numbers: this.numbers, texts: this.texts, missing: this.missing, infinite: this.infinite };
  }

  private share(text: string): string {
    const known = this.shared.get(text);
    if (known !== undefined) return known;
    this.shared.set(text, text);
    return text;
  }
}
