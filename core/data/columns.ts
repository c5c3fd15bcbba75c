/** Cells that mean "no value", compared after trimming and ignoring case. */
const missingTokens = new Set(['', 'na', 'n/a', 'nan', 'null', '?']);
const numberPattern = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
/** `3,5`: where `;` separates fields (European exports), a comma is the decimal mark. */
const decimalCommaPattern = /^[+-]?\d*,\d+$/;
const infinityPattern = /^[+-]?inf(?:inity)?$/i;

export function isMissingCell(cell: string): boolean {
  return isMissingTrimmed(cell.trim());
}

export function isMissingTrimmed(text: string): boolean {
  // No token is longer than 4 characters: skip lower-casing (an allocation) for every other cell.
  return text === '' || (text.length <= 4 && missingTokens.has(text.toLowerCase()));
}

/** A finite number, ±Infinity for "inf"-like cells and overflow, or null when not a number. */
export function parseNumberCell(cell: string, isDecimalComma = false): number | null {
  return parseNumberTrimmed(cell.trim(), isDecimalComma);
}

export function parseNumberTrimmed(text: string, isDecimalComma: boolean): number | null {
  if (numberPattern.test(text)) return Number(text);
  if (isDecimalComma && decimalCommaPattern.test(text)) return Number(text.replace(',', '.'));
  if (infinityPattern.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return null;
}

/**
 * What one column holds. Numeric when every non-missing cell is a number (an infinite one counts
 * as missing, and is counted apart so it can be reported); categorical otherwise.
 */
export interface ColumnProfile {
  name: string;
  kind: 'numeric' | 'categorical';
  /** Numeric columns: one value per row, NaN where missing or infinite. */
  numbers: Float64Array | null;
  /** Categorical columns: one trimmed value per row, null where missing. */
  texts: (string | null)[] | null;
  /** Missing cells, infinite ones included. */
  missing: number;
  infinite: number;
}

export function profileColumn(name: string, rows: readonly string[][], index: number, isDecimalComma = false): ColumnProfile {
  const numbers = new Float64Array(rows.length);
  let missing = 0;
  let infinite = 0;
  let isNumeric = true;
  for (let r = 0; r < rows.length && isNumeric; r++) {
    const cell = (rows[r]?.[index] ?? '').trim();
    if (isMissingTrimmed(cell)) {
      numbers[r] = NaN;
      missing++;
      continue;
    }
    const value = parseNumberTrimmed(cell, isDecimalComma);
    if (value === null) isNumeric = false;
    else if (Number.isFinite(value)) numbers[r] = value;
    else {
      numbers[r] = NaN;
      missing++;
      infinite++;
    }
  }
  if (isNumeric) return { name, kind: 'numeric', numbers, texts: null, missing, infinite };
  let textMissing = 0;
  const texts = rows.map((row) => {
    const cell = (row[index] ?? '').trim();
    if (!isMissingTrimmed(cell)) return cell;
    textMissing++;
    return null;
  });
  return { name, kind: 'categorical', numbers: null, texts, missing: textMissing, infinite: 0 };
}

/** Distinct non-missing values of a column. */
export function distinctCount(profile: ColumnProfile): number {
  const values: Iterable<number | string | null> = profile.numbers ?? profile.texts ?? [];
  const seen = new Set<number | string>();
  for (const v of values) if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) seen.add(v);
  return seen.size;
}

export interface NumericStats {
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** Population statistics of the non-NaN values among the given rows (all rows when omitted). */
export function numericStats(values: Float64Array, rows?: Uint32Array): NumericStats {
  let count = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  const n = rows ? rows.length : values.length;
  for (let i = 0; i < n; i++) {
    const v = values[rows ? (rows[i] as number) : i] as number;
    if (Number.isNaN(v)) continue;
    count++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (count === 0) return { count, mean: NaN, std: NaN, min: NaN, max: NaN };
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const v = values[rows ? (rows[i] as number) : i] as number;
    if (!Number.isNaN(v)) squares += (v - mean) ** 2;
  }
  return { count, mean, std: Math.sqrt(squares / count), min, max };
}

/** Plain code-unit order, so class and category indices do not depend on the machine's locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
