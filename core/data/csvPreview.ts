import type { CsvPreview } from '../api/contract.js';
import { distinctCount, profileColumn, type ColumnProfile } from './columns.js';
import { parseCsvTable, type CsvTable } from './csvTable.js';
import { checkCsvText } from './csvText.js';
import { isDateColumn } from './dateColumns.js';
import { unknownTarget } from './encodeTable.js';
import { inferTask } from './target.js';

/** Column names that usually hold what is to be predicted, lower case, most telling first. */
const likelyTargets = ['target', 'label', 'class', 'y', 'outcome', 'species'];

/**
 * The first rows of a CSV, each column's kind, missing and distinct counts, a suggested target
 * (the one given, else a column named like a label, else the last) and the task inferred for it.
 * Errors are the same as an import's, so the wizard shows them before anything is saved.
 */
export function previewCsv(text: string, target?: string, rows = 10): CsvPreview {
  return previewTable(parseCsvTable(checkCsvText(text)), target, rows);
}

function previewTable(table: CsvTable, target: string | undefined, rows: number): CsvPreview {
  const isDecimalComma = table.delimiter === ';';
  const profiles = table.header.map((name, i) => profileColumn(name, table.rows, i, isDecimalComma));
  if (target !== undefined && !table.header.includes(target)) throw unknownTarget(target, table.header);
  const suggested = target ?? suggestTarget(table.header);
  const profile = profiles[table.header.indexOf(suggested)];
  const shown = Math.max(1, Math.min(100, Math.floor(rows)));
  return {
    header: table.header,
    rows: table.rows.slice(0, shown).map((row) => row.map((cell) => cell.trim())),
    columns: profiles.map((p) => ({ name: p.name, kind: previewKind(p), missing: p.missing, distinct: distinctCount(p) })),
    rowCount: table.rows.length,
    suggestedTarget: suggested,
    task: profile ? inferTask(profile) : 'classification',
  };
}

/** The kind training gives the column: ISO dates are dates (three numbers), not categories. */
function previewKind(profile: ColumnProfile): CsvPreview['columns'][number]['kind'] {
  return profile.kind === 'categorical' && isDateColumn(profile) ? 'date' : profile.kind;
}

function suggestTarget(header: string[]): string {
  for (const likely of likelyTargets) {
    const named = header.find((name) => name.toLowerCase() === likely);
    if (named) return named;
  }
  return header.at(-1) as string;
}
