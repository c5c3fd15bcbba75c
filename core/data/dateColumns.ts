import type { ColumnProfile } from './columns.js';

/** `2024-03-05`, optionally with a time and zone (`2024-03-05T10:20:00Z`); only the date is used. */
const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const dayMs = 86_400_000;

export interface DateParts {
  year: number;
  /** 0 on 1 January. */
  dayOfYear: number;
  daysInYear: number;
}

/** The calendar date an ISO cell names, or null when it is not one (2024-02-30 is not). */
export function parseIsoDate(cell: string): DateParts | null {
  const match = isoDatePattern.exec(cell);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  const start = Date.UTC(year, 0, 1);
  return { year, dayOfYear: Math.round((time - start) / dayMs), daysInYear: Math.round((Date.UTC(year + 1, 0, 1) - start) / dayMs) };
}

/** A text column whose every present cell is an ISO date (one-hot of dates would mean nothing). */
export function isDateColumn(profile: ColumnProfile): boolean {
  const texts = profile.texts;
  if (!texts) return false;
  let present = 0;
  for (const text of texts) {
    if (text === null) continue;
    if (!parseIsoDate(text)) return false;
    present++;
  }
  return present > 0;
}

/** The names of a date column's three features, in the order dateFeatures gives them. */
export function dateFeatureNames(column: string): [string, string, string] {
  return [`${column}:year`, `${column}:day_sin`, `${column}:day_cos`];
}

/**
 * A date as three numbers: the year (a trend) and the day of the year on a circle (sine, cosine),
 * so 31 December and 1 January lie close together as the seasons do. NaN where the cell is missing.
 */
export function dateFeatures(text: string | null): [number, number, number] {
  const parts = text === null ? null : parseIsoDate(text);
  if (!parts) return [NaN, NaN, NaN];
  const angle = (2 * Math.PI * parts.dayOfYear) / parts.daysInYear;
  return [parts.year, Math.sin(angle), Math.cos(angle)];
}
