import { CsvError, parse } from 'csv-parse/sync';
import { TunebenchError, type ErrorIssue } from '../api/errors.js';

export const maxCsvColumns = 10_000;
/** Ragged rows listed in one error; the message gives the total. */
const maxIssues = 20;

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
  let records: string[][];
  try {
    records = parse(text, parserOptions(delimiter));
  } catch (error) {
    throw quoteError(error, () => recordEndLines(text, delimiter).at(-1) ?? 0);
  }
  let ends: number[] | undefined;
  // Line (header = 1) a record starts on: after the previous one ends, as quoted fields may span
  // lines. Worked out by parsing again, and only when a message needs it.
  const lineOf = (record: number): number => {
    ends ??= recordEndLines(text, delimiter);
    return record === 0 ? 1 : (ends[record - 1] ?? 0) + 1;
  };
  const kept: number[] = [];
  records.forEach((record, i) => {
    if (!record.every((cell) => cell.trim() === '')) kept.push(i);
  });
  const [headerIndex, ...rowIndices] = kept;
  const first = headerIndex === undefined ? undefined : records[headerIndex];
  if (!first) throw new TunebenchError('CSV_SHAPE', 'the file is empty: no header and no rows');
  if (rowIndices.length === 0) {
    throw new TunebenchError('CSV_SHAPE', `the file has a header (${first.length} columns) but no data rows`, [
      { where: `line ${lineOf(headerIndex ?? 0)}`, message: 'header only' },
    ]);
  }
  const rows = rowIndices.map((i) => records[i] as string[]);
  checkRagged(rows, first.length, (row) => lineOf(rowIndices[row] as number));
  const names = dropTrailingEmptyColumn(first.map((name) => name.trim()), rows);
  return { header: nameColumns(names, () => lineOf(headerIndex ?? 0)), rows, delimiter };
}

/**
 * Every line ending is accepted in one file: csv-parse otherwise takes the first line's ending for
 * all, and a CRLF header over LF data (files edited on two systems) reads as one long row.
 */
function parserOptions(delimiter: CsvDelimiter) {
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
function checkColumnCap(text: string, delimiter: CsvDelimiter): void {
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

/** A delimiter at the end of every line (some exporters do this) makes no column. */
function dropTrailingEmptyColumn(names: string[], rows: string[][]): string[] {
  const last = names.length - 1;
  if (last < 1 || names[last] !== '' || !rows.every((row) => row[last]?.trim() === '')) return names;
  for (const row of rows) row.pop();
  return names.slice(0, last);
}

/** Unnamed columns get `column N`; names must be unique. */
function nameColumns(cells: string[], headerLine: () => number): string[] {
  const header = cells.map((name, i) => (name === '' ? `column ${i + 1}` : name));
  const seen = new Map<string, number>();
  const duplicated = new Set<string>();
  const issues: ErrorIssue[] = [];
  header.forEach((name, i) => {
    const before = seen.get(name);
    if (before === undefined) {
      seen.set(name, i);
      return;
    }
    duplicated.add(`"${name}"`);
    issues.push({ where: `line ${headerLine()}`, message: `"${name}" is both column ${before + 1} and ${i + 1}` });
  });
  if (issues.length > 0) {
    throw new TunebenchError('CSV_SHAPE', `duplicate column names in the header: ${[...duplicated].join(', ')}; rename them`, issues);
  }
  return header;
}

function checkRagged(rows: string[][], expected: number, lineOf: (row: number) => number): void {
  const bad: number[] = [];
  rows.forEach((row, i) => {
    if (row.length !== expected) bad.push(i);
  });
  if (bad.length === 0) return;
  const issues = bad.slice(0, maxIssues).map((i) => ({
    where: `line ${lineOf(i)}`,
    message: `expected ${expected} columns, found ${(rows[i] as string[]).length}`,
  }));
  const first = issues[0] as ErrorIssue;
  const found = (rows[bad[0] as number] as string[]).length;
  const more = bad.length > 1 ? ` (${bad.length} rows in all)` : '';
  throw new TunebenchError(
    'CSV_SHAPE',
    `the row on ${first.where} has ${found} columns but the header has ${expected}${more}. ` +
      'Check for an unquoted delimiter in a value or a missing field',
    issues,
  );
}

/** The line each record ends on, up to where the parser stops (at a quote error). */
function recordEndLines(text: string, delimiter: CsvDelimiter): number[] {
  const ends: number[] = [];
  try {
    parse(text, {
      ...parserOptions(delimiter),
      on_record: (record: string[], context) => {
        ends.push(context.lines);
        return record;
      },
    });
  } catch {
    // The caller reports the error; the lines read so far are what it needs.
  }
  return ends;
}

/** Maps csv-parse's quote errors to CSV_PARSE naming the line the bad field starts on. */
function quoteError(error: unknown, lastGoodLine: () => number): unknown {
  if (!(error instanceof CsvError)) return error;
  const reported = typeof error.lines === 'number' ? error.lines : lastGoodLine() + 1;
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
