import { unsafeUniformIntDistribution, type RandomGenerator } from 'pure-rand';

/** A Fisher-Yates permutation of 0..rows-1 from the trial's own generator (plain and packed trainers alike). */
export function shuffledRows(rows: number, rng: RandomGenerator): Int32Array {
  const order = new Int32Array(rows);
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (let i = order.length - 1; i > 0; i--) {
    const j = unsafeUniformIntDistribution(0, i, rng);
    const t = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = t;
  }
  return order;
}
