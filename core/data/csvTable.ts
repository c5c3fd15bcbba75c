import { CsvError, parse } from 'csv-parse/sync';
import { TunebenchError } from '../api/errors.js';
import { QuoteFreeSplitter } from './csvQuoteFree.js';
import { CsvRecordChecker } from './csvRecords.js';

export const maxCsvColumns = 10_000;

export type CsvDelimiter = ',' | ';' | '\t';

/** A CSV file checked to be rectangular. Cells are as written (untrimmed); names are trimmed. */
export interface CsvTable {
  header: string[];
  rows: string[][];
  delimiter: CsvDelimiter;
}

/**
 * Parses CSV text (already decoded, BOM removed) into a header and rows. The delimiter is the
 * most frequent of `,` `;` tab in the header line. Blank lines and rows of empty cells are
 * skipped; quoted fields may hold delimiters and newlines. Quote errors are CSV_PARSE and ragged
 * rows, duplicate names and the caps are CSV_SHAPE, each naming the line as a person counts it.
 */
export function parseCsvTable(text: string): CsvTable {
  if (text.trim() === '') throw new TunebenchError('CSV_SHAPE', 'the file is empty: no header and no rows');
  const delimiter = detectDelimiter(text);
  checkColumnCap(text, delimiter);
  const rows: string[][] = [];
  const checker = new CsvRecordChecker((row) => rows.push(row));
  const splitter = new QuoteFreeSplitter(delimiter, (record, line) => checker.push(record, line));
  const quoted = splitter.write(text);
  if (quoted === null) splitter.end();
  else {
    const offset = splitter.lines;
    try {
      parse(quoted, {
        ...parserOptions(delimiter),
        // Records go to the checker as they are read, not into an array of every record.
        on_record: (record: string[], context) => {
          checker.push(record, context.lines + offset);
          return null;
        },
      });
    } catch (error) {
      throw quoteError(error, () => checker.lastEndLine, offset);
    }
  }
  const { header, dropsLastColumn } = checker.finish();
  if (dropsLastColumn) for (const row of rows) row.pop();
  return { header, rows, delimiter };
}

/**
 * Every line ending is accepted in one file: csv-parse otherwise takes the first line's ending for
 * all, and a CRLF header over LF data (files edited on two systems) reads as one long row.
 */
export function parserOptions(delimiter: CsvDelimiter) {
  return { delimiter, relax_column_count: true, skip_empty_lines: false, record_delimiter: ['\r\n', '\n', '\r'] };
}

/** The candidate seen most often outside quotes on the first line; `,` when none is. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  let isQuoted = false;
  // Bounded, in case a quote in the header is never closed.
  const end = Math.min(text.length, 1 << 20);
  for (let i = 0; i < end; i++) {
    const ch = text[i] as string;
    if (ch === '"') isQuoted = !isQuoted;
    else if (!isQuoted && (ch === '\n' || ch === '\r')) break;
    else if (!isQuoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[',']) return '\t';
  return ',';
}

/** Refuses a very wide file from its first line alone, before parsing everything. */
export function checkColumnCap(text: string, delimiter: CsvDelimiter): void {
  const end = text.indexOf('\n');
  const firstLine = end < 0 ? text : text.slice(0, end);
  const fields = firstLine.split(delimiter).length;
  if (fields > maxCsvColumns) {
    throw new TunebenchError(
      'CSV_SHAPE',
      `the file has about ${fields} columns; at most ${maxCsvColumns} can be imported. Drop columns first`,
      [{ where: 'line 1', message: `${fields} columns` }],
    );
  }
}

/** Maps csv-parse's quote errors to CSV_PARSE naming the line the bad field starts on. */
export function quoteError(error: unknown, lastGoodLine: () => number, lineOffset = 0): unknown {
  if (!(error instanceof CsvError)) return error;
  const reported = typeof error.lines === 'number' ? error.lines + lineOffset : lastGoodLine() + 1;
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    const line = lastGoodLine() + 1;
    return new TunebenchError(
      'CSV_PARSE',
      `unclosed quote: the quoted field that starts on line ${line} is never closed (the file ends inside it)`,
      [{ where: `line ${line}`, message: 'unclosed quote' }],
    );
  }
  if (error.code === 'INVALID_OPENING_QUOTE' || error.code === 'CSV_INVALID_CLOSING_QUOTE') {
    return new TunebenchError(
      'CSV_PARSE',
      `stray quote on line ${reported}: a " inside a value must be doubled ("") and the value quoted`,
      [{ where: `line ${reported}`, message: error.message }],
    );
  }
  return new TunebenchError('CSV_PARSE', `cannot parse the CSV on line ${reported}: ${error.message}`, [
    { where: `line ${reported}`, message: error.code },
  ]);
}
