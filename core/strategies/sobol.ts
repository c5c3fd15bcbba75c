import { nextDouble } from '../space/sample.js';
import { trialRng } from './trialRng.js';

/**
 * Joe & Kuo's direction numbers (new-joe-kuo-6.21201) for dimensions 2..21: the degree s of the
 * primitive polynomial, its coefficients a, and the initial m_1..m_s. Dimension 1 is the van der
 * Corput sequence. Twenty dimensions cover every hyperparameter a spec can vary.
 */
const directionTable: readonly (readonly [number, number, readonly number[]])[] = [
  [1, 0, [1]],
  [2, 1, [1, 3]],
  [3, 1, [1, 3, 1]],
  [3, 2, [1, 1, 1]],
  [4, 1, [1, 1, 3, 3]],
  [4, 4, [1, 3, 5, 13]],
  [5, 2, [1, 1, 5, 5, 17]],
  [5, 4, [1, 1, 5, 5, 5]],
  [5, 7, [1, 1, 7, 11, 19]],
  [5, 11, [1, 1, 5, 1, 1]],
  [5, 13, [1, 1, 1, 3, 11]],
  [5, 14, [1, 3, 5, 5, 31]],
  [6, 1, [1, 3, 3, 9, 7, 49]],
  [6, 13, [1, 1, 1, 15, 21, 21]],
  [6, 16, [1, 3, 1, 13, 27, 49]],
  [6, 19, [1, 1, 1, 15, 7, 5]],
  [6, 22, [1, 3, 1, 15, 13, 25]],
  [6, 25, [1, 1, 5, 5, 19, 61]],
  [7, 1, [1, 3, 7, 11, 23, 15, 103]],
  [7, 4, [1, 3, 7, 13, 13, 15, 69]],
];

const bits = 32;
export const maxSobolDimensions = directionTable.length + 1;

/** The 32 direction numbers of one dimension (0-based), each scaled to a 32-bit fraction. */
function directionNumbers(dimension: number): Uint32Array {
  const directions = new Uint32Array(bits);
  if (dimension === 0) {
    for (let i = 0; i < bits; i += 1) directions[i] = 2 ** (bits - 1 - i);
    return directions;
  }
  const [degree, coefficients, initial] = directionTable[dimension - 1]!;
  const m: number[] = [...initial];
  for (let i = degree; i < bits; i += 1) {
    let value = m[i - degree]! ^ (m[i - degree]! * 2 ** degree);
    for (let k = 1; k < degree; k += 1) {
      if ((coefficients >> (degree - 1 - k)) & 1) value ^= m[i - k]! * 2 ** k;
    }
    m.push(value);
  }
  // m_i < 2^(i+1), so the shifted value fits in 32 bits; >>> 0 keeps it unsigned.
  for (let i = 0; i < bits; i += 1) directions[i] = (m[i]! * 2 ** (bits - 1 - i)) >>> 0;
  return directions;
}

const directionCache = new Map<number, Uint32Array>();

/**
 * Point `index` of a Sobol sequence in `dimensions` dimensions, scrambled by a random digital
 * shift drawn from `seed` (an XOR of every coordinate's bits with a per-dimension seeded word):
 * the shift keeps the net's even spread, and different seeds give different, equally even sets.
 * A pure function of its arguments, so trial k of a resumed study gets the same point.
 */
export function sobolPoint(index: number, dimensions: number, seed: number): number[] {
  if (dimensions > maxSobolDimensions) throw new RangeError(`Sobol points are defined for at most ${maxSobolDimensions} dimensions`);
  const gray = index ^ Math.floor(index / 2);
  const point: number[] = [];
  for (let dimension = 0; dimension < dimensions; dimension += 1) {
    let directions = directionCache.get(dimension);
    if (!directions) {
      directions = directionNumbers(dimension);
      directionCache.set(dimension, directions);
    }
    let word = 0;
    for (let bit = 0, rest = gray; rest > 0 && bit < bits; bit += 1, rest = Math.floor(rest / 2)) {
      if (rest % 2 === 1) word ^= directions[bit]!;
    }
    const shift = Math.floor(nextDouble(trialRng(seed, -1, dimension)) * 2 ** bits);
    point.push(((word ^ shift) >>> 0) / 2 ** bits);
  }
  return point;
}
