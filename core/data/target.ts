import type { Task } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import { compareText, type ColumnProfile } from './columns.js';

/** A numeric target with at most this many distinct integer values is taken as class labels. */
export const maxInferredClasses = 10;
/** More classes than this is almost surely a regression target or an id column. */
export const maxClasses = 1000;

export interface EncodedTarget {
  task: Task;
  /** Sorted labels (numerically for numeric targets), or null for regression. */
  classes: string[] | null;
  /** Class index or value per row; NaN where the target is missing (that row is dropped). */
  values: Float64Array;
}

/** Classification for text targets and for a few distinct integers; regression otherwise. */
export function inferTask(profile: ColumnProfile): Task {
  if (profile.kind === 'categorical' || !profile.numbers) return 'classification';
  const seen = new Set<number>();
  let hasFraction = false;
  for (const v of profile.numbers) {
    if (Number.isNaN(v)) continue;
    if (!Number.isInteger(v)) hasFraction = true;
    else seen.add(v);
    if (hasFraction || seen.size > maxInferredClasses) break;
  }
  return numericTask(hasFraction, seen.size);
}

/** The task of a numeric column from its finite values: any fraction or many values is regression. */
export function numericTask(hasFraction: boolean, distinctValues: number): Task {
  return hasFraction || distinctValues > maxInferredClasses ? 'regression' : 'classification';
}

/** Encodes the target column; `task` (from the spec) overrides the inferred one. */
export function encodeTarget(profile: ColumnProfile, task?: Task): EncodedTarget {
  const chosen = task ?? inferTask(profile);
  const where = `column "${profile.name}"`;
  if (chosen === 'regression') {
    if (!profile.numbers) {
      throw new TunebenchError(
        'DATASET_MISMATCH',
        `target "${profile.name}" holds text, so it cannot be a regression target; use task: classification`,
        [{ where, message: 'text target with task regression' }],
      );
    }
    return { task: chosen, classes: null, values: profile.numbers };
  }
  const { labels, indexOf } = profile.numbers ? numericClasses(profile.numbers) : textClasses(profile.texts ?? []);
  if (labels.length < 2) {
    throw new TunebenchError(
      'DATASET_MISMATCH',
      `target "${profile.name}" has ${labels.length} distinct value(s); a classification target needs at least 2`,
      [{ where, message: 'fewer than 2 classes' }],
    );
  }
  if (labels.length > maxClasses) {
    throw new TunebenchError(
      'DATASET_MISMATCH',
      `target "${profile.name}" has ${labels.length} distinct values, too many classes (at most ${maxClasses}); ` +
        'if it is a measured quantity, use task: regression',
      [{ where, message: `${labels.length} classes` }],
    );
  }
  return { task: chosen, classes: labels, values: indexOf };
}

function numericClasses(numbers: Float64Array): { labels: string[]; indexOf: Float64Array } {
  // No copy of the column: a described file's target can have millions of rows.
  const distinct = new Set<number>();
  for (const v of numbers) if (!Number.isNaN(v)) distinct.add(v);
  const sorted = [...distinct].sort((a, b) => a - b);
  const index = new Map(sorted.map((v, i) => [v, i]));
  const indexOf = numbers.map((v) => (Number.isNaN(v) ? NaN : (index.get(v) as number)));
  return { labels: sorted.map(String), indexOf };
}

function textClasses(texts: readonly (string | null)[]): { labels: string[]; indexOf: Float64Array } {
  const labels = [...new Set(texts.filter((t): t is string => t !== null))].sort(compareText);
  const index = new Map(labels.map((t, i) => [t, i]));
  const indexOf = Float64Array.from(texts, (t) => (t === null ? NaN : (index.get(t) as number)));
  return { labels, indexOf };
}
