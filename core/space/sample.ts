import prand from 'pure-rand';
import type { RandomGenerator } from 'pure-rand';
import type { BatchDomain, NumericDomain } from '../api/spec.js';
import type { ValueOptions } from './domains.js';
import { batchValues, interpolate, rangeOf, roundSignificant } from './domains.js';

/**
 * A double in [0, 1) from 53 random bits (two 32-bit draws), advancing `rng` in place. Integer
 * arithmetic only, so the same generator state gives the same value on any machine.
 */
export function nextDouble(rng: RandomGenerator): number {
  const high = rng.unsafeNext() >>> 5; // 27 bits
  const low = rng.unsafeNext() >>> 6; // 26 bits
  return (high * 67_108_864 + low) / 9_007_199_254_740_992;
}

/** One element of a non-empty list, uniformly, advancing `rng` in place. */
export function sampleChoice<T>(values: readonly T[], rng: RandomGenerator): T {
  if (values.length === 0) throw new RangeError('cannot sample from an empty list');
  const index = prand.unsafeUniformIntDistribution(0, values.length - 1, rng);
  return values[index] as T;
}

/**
 * One value of a numeric domain: the fixed value, a uniform pick among the distinct choices, a
 * uniform draw in [low, high], or a log-uniform draw (uniform in log10 space, so each decade is
 * equally likely). Drawn values are rounded to 6 significant digits (whole numbers when
 * `integer`) and stay inside [low, high]. gridPoints is ignored: random search is continuous.
 */
export function sampleNumeric(domain: NumericDomain, rng: RandomGenerator, options: ValueOptions = {}): number {
  const finish = (value: number) => (options.integer ? Math.round(value) : value);
  if (typeof domain === 'number') return finish(domain);
  if ('choice' in domain) return finish(sampleChoice([...new Set(domain.choice)], rng));
  const range = rangeOf(domain);
  if (!range) throw new RangeError('unknown numeric domain');
  const { low, high, isLog } = range;
  const drawn = roundSignificant(interpolate(low, high, nextDouble(rng), isLog));
  return finish(Math.min(high, Math.max(low, drawn)));
}

/**
 * One batch size: the fixed size, a pick among the distinct choices, a power of two inside an
 * intRange (powersOfTwo, the default), or any integer in it.
 */
export function sampleBatch(domain: BatchDomain, rng: RandomGenerator): number {
  if (typeof domain === 'number') return domain;
  if ('choice' in domain || domain.powersOfTwo) return sampleChoice(batchValues(domain), rng);
  const [low, high] = domain.intRange;
  return prand.unsafeUniformIntDistribution(low, high, rng);
}
