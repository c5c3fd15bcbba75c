import type { CsvPreview } from '../api/contract.js';
import { CsvSummaryBuilder, type CsvSummary } from './csvSummary.js';
import { parseCsvTable } from './csvTable.js';
import { checkCsvText } from './csvText.js';
import { unknownTarget } from './encodeTable.js';

/** Column names that usually hold what is to be predicted, lower case, most telling first. */
const likelyTargets = ['target', 'label', 'class', 'y', 'outcome', 'species'];

/**
 * The first rows of a CSV, each column's kind, missing and distinct counts, a suggested target
 * (the one given, else a column named like a label, else the last) and the task inferred for it.
 * Errors are the same as an import's, so the wizard shows them before anything is saved.
 */
export function previewCsv(text: string, target?: string, rows = 10): CsvPreview {
  return previewSummary(summarizeText(text), target, rows);
}

/** The summary of CSV text held in memory, built as a streamed file's is (csvScan.ts). */
function summarizeText(text: string): CsvSummary {
  const table = parseCsvTable(checkCsvText(text));
  const builder = new CsvSummaryBuilder(table.delimiter === ';');
  for (const row of table.rows) builder.addRow(row);
  return builder.finish({ header: table.header, rowCount: table.rows.length, dropsLastColumn: false });
}

/** A preview from a file's summary; a target that is not a column is refused naming the columns. */
export function previewSummary(summary: CsvSummary, target: string | undefined, rows: number): CsvPreview {
  if (target !== undefined && !summary.header.includes(target)) throw unknownTarget(target, summary.header);
  const suggested = target ?? suggestTarget(summary.header);
  const column = summary.columns[summary.header.indexOf(suggested)];
  const shown = Math.max(1, Math.min(100, Math.floor(rows)));
  return {
    header: summary.header,
    rows: summary.firstRows.slice(0, shown).map((row) => row.map((cell) => cell.trim())),
    columns: summary.columns.map(({ name, kind, missing, distinct }) => ({ name, kind, missing, distinct })),
    rowCount: summary.rowCount,
    suggestedTarget: suggested,
    task: column?.task ?? 'classification',
  };
}

function suggestTarget(header: string[]): string {
  for (const likely of likelyTargets) {
    const named = header.find((name) => name.toLowerCase() === likely);
    if (named) return named;
  }
  return header.at(-1) as string;
}
