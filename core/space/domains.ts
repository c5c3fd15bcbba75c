import type { BatchDomain, NumericDomain } from '../api/spec.js';

/** Significant digits kept for generated values, so 0.001 prints as 0.001, not 0.0010000000000000002. */
export const significantDigits = 6;

/** Rounds to `significantDigits` significant digits (a no-op for 0 and short decimals). */
export function roundSignificant(value: number): number {
  return value === 0 ? 0 : Number(value.toPrecision(significantDigits));
}

export interface ValueOptions {
  /** Round every value to a whole number (decaySteps). */
  integer?: boolean;
}

/** A range domain (uniform or logUniform) with its kind, or null for a fixed value or a choice. */
export function rangeOf(domain: NumericDomain): { low: number; high: number; isLog: boolean; gridPoints?: number } | null {
  if (typeof domain === 'number' || 'choice' in domain) return null;
  const [low, high] = 'uniform' in domain ? domain.uniform : domain.logUniform;
  return { low, high, isLog: 'logUniform' in domain, gridPoints: domain.gridPoints };
}

/**
 * The grid values of a numeric domain: a fixed value, the distinct values of a choice in the
 * order written, or `gridPoints` values spaced linearly (uniform) or geometrically (logUniform)
 * from low to high. Both ends are kept exactly as written; interior points are rounded to 6
 * significant digits. One grid point gives [low], as numpy's linspace does. Duplicates (from
 * rounding, integer rounding or low === high) are removed, keeping the first.
 * Throws RangeError for a range without gridPoints: validation rejects that before any caller.
 */
export function numericGridValues(domain: NumericDomain, options: ValueOptions = {}): number[] {
  const finish = (values: number[]) => distinct(options.integer ? values.map(Math.round) : values);
  if (typeof domain === 'number') return finish([domain]);
  if ('choice' in domain) return finish(domain.choice);
  const range = rangeOf(domain);
  if (!range || range.gridPoints === undefined) throw new RangeError('a range needs gridPoints for grid search');
  const { low, high, isLog, gridPoints } = range;
  if (gridPoints === 1 || low === high) return finish([low]);
  const values: number[] = [];
  for (let i = 0; i < gridPoints; i += 1) {
    if (i === 0) values.push(low);
    else if (i === gridPoints - 1) values.push(high);
    else values.push(roundSignificant(interpolate(low, high, i / (gridPoints - 1), isLog)));
  }
  return finish(values);
}

/** Linear or geometric interpolation at fraction t in [0, 1]. */
export function interpolate(low: number, high: number, t: number, isLog: boolean): number {
  if (!isLog) return low + t * (high - low);
  const logLow = Math.log10(low);
  return 10 ** (logLow + t * (Math.log10(high) - logLow));
}

/**
 * The values a batch-size domain allows, distinct and in order: a fixed size, a choice as
 * written, every power of two in an intRange (powersOfTwo, the default) or every integer in it.
 * Callers check `batchValueCount` first: a plain intRange can be huge.
 */
export function batchValues(domain: BatchDomain): number[] {
  if (typeof domain === 'number') return [domain];
  if ('choice' in domain) return distinct(domain.choice);
  const [low, high] = domain.intRange;
  const values: number[] = [];
  if (domain.powersOfTwo) {
    for (let power = 1; power <= high; power *= 2) if (power >= low) values.push(power);
  } else {
    for (let size = low; size <= high; size += 1) values.push(size);
  }
  return values;
}

/** How many values `batchValues` returns, computed without building the list. */
export function batchValueCount(domain: BatchDomain): number {
  if (typeof domain === 'number') return 1;
  if ('choice' in domain) return distinct(domain.choice).length;
  const [low, high] = domain.intRange;
  if (!domain.powersOfTwo) return high - low + 1;
  // floor(log2) via the bit length keeps this exact for any safe integer.
  const floorLog2 = (n: number) => n.toString(2).length - 1;
  const lowest = low === 1 ? 0 : floorLog2(low - 1) + 1; // smallest e with 2^e >= low
  return Math.max(0, floorLog2(high) - lowest + 1);
}

function distinct(values: readonly number[]): number[] {
  return [...new Set(values)];
}
