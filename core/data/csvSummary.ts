import type { Task } from '../api/domain.js';
import { isMissingTrimmed, parseNumberTrimmed } from './columns.js';
import type { CheckedRecords } from './csvRecords.js';
import { parseIsoDate } from './dateColumns.js';
import { numericTask } from './target.js';

/** Distinct values are counted exactly up to this many per column; a preview shows no more. */
export const maxCountedDistinct = 10_000;
/** Values remembered for distinct counts over all columns, so a wide file stays in bounds too. */
const distinctBudget = 1_000_000;
/** Never less than this (one over the one-hot limit, so "too many categories" stays visible). */
const minCountedDistinct = 101;
/** Rows a summary keeps as written, for a preview to show. */
export const maxPreviewRows = 100;

/** One column as a preview describes it, with the task it would have as the target. */
export interface ColumnSummary {
  name: string;
  /** `date`: ISO dates, which training turns into three numbers. */
  kind: 'numeric' | 'categorical' | 'date';
  missing: number;
  /** Distinct present values, counted up to maxCountedDistinct (fewer, at least 101, in a file over 100 columns). */
  distinct: number;
  task: Task;
}

/** What a preview needs of a whole file, in memory that does not grow with its rows. */
export interface CsvSummary {
  header: string[];
  /** The first rows (up to maxPreviewRows), cells as written. */
  firstRows: string[][];
  rowCount: number;
  columns: ColumnSummary[];
}

/**
 * One column's kind, missing and distinct counts, taken cell by cell with the rules profileColumn
 * applies to a whole column (columns.ts): numeric while every present cell is a number, an infinite
 * one counting as missing; a date column when every present cell is an ISO date.
 */
class ColumnTally {
  private isNumeric = true;
  private hasFraction = false;
  private isAllDates = true;
  private present = 0;
  private missingCells = 0;
  private infinite = 0;
  private numbers: Set<number> | null = new Set();
  private readonly texts = new Set<string>();

  constructor(
    private readonly isDecimalComma: boolean,
    private readonly maxDistinct: number,
  ) {}

  add(cell: string): void {
    const text = cell.trim();
    if (isMissingTrimmed(text)) {
      this.missingCells++;
      return;
    }
    this.present++;
    if (this.texts.size < this.maxDistinct) this.texts.add(text);
    if (this.isAllDates && !parseIsoDate(text)) this.isAllDates = false;
    if (!this.isNumeric) return;
    const value = parseNumberTrimmed(text, this.isDecimalComma);
    if (value === null) {
      this.isNumeric = false;
      this.numbers = null;
    } else if (!Number.isFinite(value)) this.infinite++;
    else {
      if (!Number.isInteger(value)) this.hasFraction = true;
      if (this.numbers && this.numbers.size < this.maxDistinct) this.numbers.add(value);
    }
  }

  summary(name: string): ColumnSummary {
    if (this.isNumeric) {
      const distinct = this.numbers?.size ?? 0;
      return { name, kind: 'numeric', missing: this.missingCells + this.infinite, distinct, task: numericTask(this.hasFraction, distinct) };
    }
    const kind = this.isAllDates && this.present > 0 ? 'date' : 'categorical';
    return { name, kind, missing: this.missingCells, distinct: this.texts.size, task: 'classification' };
  }
}

/** Takes the rows of a checked file one at a time (CsvRecordChecker's onRow) and sums them up. */
export class CsvSummaryBuilder {
  private tallies: ColumnTally[] = [];
  private readonly firstRows: string[][] = [];

  constructor(private readonly isDecimalComma: boolean) {}

  addRow(row: readonly string[]): void {
    if (this.tallies.length === 0) {
      const maxDistinct = Math.max(minCountedDistinct, Math.min(maxCountedDistinct, Math.floor(distinctBudget / row.length)));
      this.tallies = row.map(() => new ColumnTally(this.isDecimalComma, maxDistinct));
    }
    if (this.firstRows.length < maxPreviewRows) this.firstRows.push([...row]);
    for (let i = 0; i < row.length; i++) this.tallies[i]?.add(row[i] as string);
  }

  finish(checked: CheckedRecords): CsvSummary {
    const width = checked.header.length;
    return {
      header: checked.header,
      firstRows: this.firstRows.map((row) => row.slice(0, width)),
      rowCount: checked.rowCount,
      columns: checked.header.map((name, i) => (this.tallies[i] as ColumnTally).summary(name)),
    };
  }
}
