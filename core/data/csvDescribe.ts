import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DatasetInfo } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import { isMissingTrimmed, parseNumberTrimmed, type ColumnProfile } from './columns.js';
import { checkCsvFile, csvTableMeta, withFileName, type CsvOptions } from './csvDataset.js';
import { streamCsvRecords } from './csvScan.js';
import { describeTable } from './encodeTable.js';

/** A CSV file's DatasetInfo as loading it whole gives it, and the sha256 of the bytes it describes. */
export interface CsvDescription {
  info: DatasetInfo;
  sha256: string;
}

/**
 * Describes a CSV file without holding its text or its feature matrix: the DatasetInfo (columns,
 * rows, task, classes, fingerprint) equals loadCsvFile's, errors included. One streamed pass with
 * the shared rules keeps what profileColumn holds: a number per cell of a numeric column, a shared
 * string per cell of a text one. A column that turns to text after numbers (whose earlier cells
 * were not kept as written) is read again in a second pass.
 */
export async function describeCsvFile(path: string, opts: Omit<CsvOptions, 'path' | 'name'>): Promise<CsvDescription> {
  const absolute = resolve(path);
  await checkCsvFile(absolute);
  const { size } = await stat(absolute);
  try {
    let columns: ColumnCollector[] = [];
    let isDecimalComma = false;
    const scan = await streamCsvRecords(absolute, {
      onStart: (isComma) => (isDecimalComma = isComma),
      onRow: (row) => {
        if (columns.length === 0) columns = row.map(() => new ColumnCollector(isDecimalComma, true, maxRows(size, row.length)));
        columns.forEach((column, i) => column.add(row[i] ?? ''));
      },
    });
    const again = columns.flatMap((column, i) => (column.needsText ? [i] : []));
    if (again.length > 0) {
      for (const i of again) columns[i] = new ColumnCollector(isDecimalComma, false, 0);
      const second = await streamCsvRecords(absolute, { onRow: (row) => again.forEach((i) => columns[i]?.add(row[i] ?? '')) });
      if (second.sha256 !== scan.sha256) throw new TunebenchError('DATASET_MISMATCH', 'the file changed while it was being read; try again once it is written');
    }
    const { header, rowCount } = scan.checked;
    const profiles = header.map((name, i) => (columns[i] as ColumnCollector).profile(name));
    const input = { header, rowCount, profiles, ...opts, isDecimalComma: scan.isDecimalComma };
    return { info: describeTable(input, csvTableMeta({ ...opts, path: absolute }, scan.hash)), sha256: scan.sha256 };
  } catch (error) {
    throw withFileName(error, absolute);
  }
}

/** A row holds a delimiter or line end per cell, so a file of `size` bytes has at most this many. */
function maxRows(size: number, width: number): number {
  return Math.floor(size / width) + 1;
}

const growRows = 1 << 16;

/** ES2024's resizable ArrayBuffer: Node 20 and Electron have it, the TypeScript lib this project uses predates it. */
interface ResizableBuffer extends ArrayBuffer {
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableBuffer;

/** One column's cells as profileColumn reads them (columns.ts): numbers in a typed array, or shared strings. */
class ColumnCollector {
  /**
   * Resizable up to the most rows the file can have: memory is taken as rows come (no copy on
   * growth, none at the end), and the reserved address space is 8 bytes per byte of the file in all.
   */
  private readonly buffer: ResizableBuffer;
  private numbers: Float64Array;
  private texts: (string | null)[] | null;
  /** Each distinct text once, so a column of few categories costs a reference per row. */
  private readonly shared = new Map<string, string>();
  private rows = 0;
  private missing = 0;
  private infinite = 0;
  /** Text came after numbers: the cells read as numbers are not kept as written, so read the column again. */
  needsText = false;

  constructor(
    private readonly isDecimalComma: boolean,
    isNumeric: boolean,
    maxRowCount: number,
  ) {
    this.buffer = new ResizableArrayBuffer(0, { maxByteLength: isNumeric ? maxRowCount * 8 : 0 });
    this.numbers = new Float64Array(this.buffer);
    // Filled by push: a large preallocated array would be a slow, bulky dictionary in V8.
    this.texts = isNumeric ? null : [];
  }

  add(cell: string): void {
    if (this.needsText) return;
    const r = this.rows++;
    const text = cell.trim();
    const isMissing = isMissingTrimmed(text);
    if (this.texts) {
      if (isMissing) this.missing++;
      this.texts.push(isMissing ? null : this.share(text));
      return;
    }
    const value = isMissing ? null : parseNumberTrimmed(text, this.isDecimalComma);
    if (!isMissing && value === null) {
      this.toText(r, text);
      return;
    }
    if (r >= this.numbers.length) {
      this.buffer.resize(Math.min(this.buffer.maxByteLength, (this.numbers.length + growRows) * 8));
      this.numbers = new Float64Array(this.buffer);
      // A write past the end would be dropped silently: never describe from a short column.
      if (r >= this.numbers.length) throw new Error(`more rows than the file size allows (${r})`);
    }
    if (value !== null && Number.isFinite(value)) {
      this.numbers[r] = value;
      return;
    }
    this.numbers[r] = NaN;
    this.missing++;
    if (value !== null) this.infinite++;
  }

  profile(name: string): ColumnProfile {
    if (this.texts) return { name, kind: 'categorical', numbers: null, texts: this.texts, missing: this.missing, infinite: 0 };
    const numbers = new Float64Array(this.buffer, 0, this.rows);
    return { name, kind: 'numeric', numbers, texts: null, missing: this.missing, infinite: this.infinite };
  }

  /** The first text cell, on row `r`: only when every earlier cell was missing are they known as written. */
  private toText(r: number, text: string): void {
    this.buffer.resize(0);
    // An infinite cell is missing as a number but "inf" as text.
    if (this.missing - this.infinite < r) {
      this.needsText = true;
      return;
    }
    this.texts = [];
    for (let i = 0; i < r; i++) this.texts.push(null);
    this.texts.push(this.share(text));
  }

  private share(text: string): string {
    const known = this.shared.get(text);
    if (known !== undefined) return known;
    this.shared.set(text, text);
    return text;
  }
}
