import { TunebenchError, type ErrorIssue } from '../api/errors.js';

/** Ragged rows listed in one error; the message gives the total. */
const maxIssues = 20;

/** What the records of a well-formed file came to: the column names and the data rows seen. */
export interface CheckedRecords {
  header: string[];
  rowCount: number;
  /** The last column was an empty name over blank cells (a delimiter ending every line): not a column. */
  dropsLastColumn: boolean;
}

/**
 * The shape rules of a CSV file, applied record by record as the parser gives them, so a file read
 * whole and one streamed from disk are judged by one implementation: blank records are skipped, the
 * first other one is the header, every row must have the header's length (ragged rows are counted
 * to the end and the first 20 named by line), a trailing empty column is dropped and names must be
 * unique. `push` never throws (a parser callback must not); `finish` throws CSV_SHAPE.
 */
export class CsvRecordChecker {
  private headerCells: string[] | null = null;
  private headerLine = 1;
  private rowCount = 0;
  private previousEnd = 0;
  private isLastCellBlank = true;
  private readonly ragged: { line: number; found: number }[] = [];
  private raggedCount = 0;

  /** `onRow` gets each data row of the header's length, cells as written. */
  constructor(private readonly onRow: (row: string[]) => void) {}

  /** The line the last record read ended on (the last good line when the parser stops at an error). */
  get lastEndLine(): number {
    return this.previousEnd;
  }

  /** A record and the line it ends on; it starts on the line after the previous record's end. */
  push(record: string[], endLine: number): void {
    const startLine = this.previousEnd + 1;
    this.previousEnd = endLine;
    if (record.every((cell) => cell.trim() === '')) return;
    if (!this.headerCells) {
      this.headerCells = record;
      this.headerLine = startLine;
      return;
    }
    this.rowCount++;
    if (record.length !== this.headerCells.length) {
      if (this.ragged.length < maxIssues) this.ragged.push({ line: startLine, found: record.length });
      this.raggedCount++;
      return;
    }
    if (this.isLastCellBlank && record[record.length - 1]?.trim() !== '') this.isLastCellBlank = false;
    if (this.raggedCount === 0) this.onRow(record);
  }

  finish(): CheckedRecords {
    const first = this.headerCells;
    if (!first) throw new TunebenchError('CSV_SHAPE', 'the file is empty: no header and no rows');
    if (this.rowCount === 0) {
      throw new TunebenchError('CSV_SHAPE', `the file has a header (${first.length} columns) but no data rows`, [
        { where: `line ${this.headerLine}`, message: 'header only' },
      ]);
    }
    if (this.raggedCount > 0) throw raggedError(this.ragged, this.raggedCount, first.length);
    const names = first.map((name) => name.trim());
    const last = names.length - 1;
    const dropsLastColumn = last >= 1 && names[last] === '' && this.isLastCellBlank;
    const header = nameColumns(dropsLastColumn ? names.slice(0, last) : names, this.headerLine);
    return { header, rowCount: this.rowCount, dropsLastColumn };
  }
}

/** Unnamed columns get `column N`; names must be unique. */
function nameColumns(cells: string[], headerLine: number): string[] {
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
    issues.push({ where: `line ${headerLine}`, message: `"${name}" is both column ${before + 1} and ${i + 1}` });
  });
  if (issues.length > 0) {
    throw new TunebenchError('CSV_SHAPE', `duplicate column names in the header: ${[...duplicated].join(', ')}; rename them`, issues);
  }
  return header;
}

function raggedError(bad: { line: number; found: number }[], total: number, expected: number): TunebenchError {
  const issues = bad.map(({ line, found }) => ({ where: `line ${line}`, message: `expected ${expected} columns, found ${found}` }));
  const first = bad[0] as { line: number; found: number };
  const more = total > 1 ? ` (${total} rows in all)` : '';
  return new TunebenchError(
    'CSV_SHAPE',
    `the row on line ${first.line} has ${first.found} columns but the header has ${expected}${more}. ` +
      'Check for an unquoted delimiter in a value or a missing field',
    issues,
  );
}
