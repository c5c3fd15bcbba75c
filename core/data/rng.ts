import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import { TunebenchError } from '../api/errors.js';

/**
 * A seeded generator. Only integer arithmetic happens inside, so a seed gives the same sequence on
 * every machine. Seeds are taken modulo 2^32 (pure-rand's seeding).
 */
export function seededRng(seed: number): RandomGenerator {
  if (!Number.isSafeInteger(seed)) {
    throw new TunebenchError('ARGUMENT_INVALID', `seed must be an integer, got ${seed}`, [{ where: '/seed', message: 'not an integer' }]);
  }
  return xoroshiro128plus(seed | 0);
}

/** 0..n-1 in a seeded random order (Fisher-Yates). */
export function shuffledIndices(n: number, rng: RandomGenerator): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = unsafeUniformIntDistribution(0, i, rng);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/** Uniform in [0, 1) with 53 random bits. */
export function uniform01(rng: RandomGenerator): number {
  const high = rng.unsafeNext() >>> 5;
  const low = rng.unsafeNext() >>> 6;
  return (high * 67108864 + low) / 9007199254740992;
}

/**
 * Approximately standard normal: the sum of 12 uniforms minus 6 (Irwin-Hall). Chosen over
 * Box-Muller because it needs no log/cos, whose last bits may differ between platforms.
 */
export function approxNormal(rng: RandomGenerator): number {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += uniform01(rng);
  return sum - 6;
}
