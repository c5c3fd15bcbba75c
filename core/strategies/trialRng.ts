import prand from 'pure-rand';
import type { RandomGenerator } from 'pure-rand';

/**
 * A generator that depends only on (seed, trial, stream): the same numbers on any machine, in
 * any process, whatever was drawn before. Random search gives trial k and each of its dimensions
 * (stream) their own generator, so a resumed study asks trial k again and gets the same values.
 * The 128-bit xoroshiro state is four 32-bit hashes of the inputs (integer math only); `seed`
 * may be any safe integer, negative included.
 */
export function trialRng(seed: number, trial: number, stream: number): RandomGenerator {
  if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(trial) || !Number.isSafeInteger(stream)) {
    throw new RangeError('trialRng needs safe integers');
  }
  const words = [...splitWords(seed), ...splitWords(trial), stream | 0];
  const state = [0x9e3779b9, 0x85ebca6b, 0xc2b2ae35, 0x27d4eb2f].map((salt) =>
    words.reduce((hash, word) => mix32(hash ^ word), salt),
  );
  // xoroshiro's state must not be all zeros; four independent hashes never are in practice.
  if (!state.some((word) => word !== 0)) state[0] = 1;
  return prand.xoroshiro128plus.fromState(state);
}

/** The low and high 32 bits of a safe integer (two's complement for negatives). */
function splitWords(value: number): [number, number] {
  const low = Number(BigInt.asUintN(32, BigInt(value)));
  const high = Number(BigInt.asIntN(32, BigInt(value) >> 32n));
  return [low | 0, high];
}

/** murmur3's 32-bit finaliser with one multiply-add step, so each input word moves every bit. */
function mix32(value: number): number {
  let h = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
