import type { Direction, MetricPoint } from '../api/domain.js';
import { isImprovement } from '../training/checkpoint.js';

/**
 * The objective of a finished trial: the metric at its best epoch (as Keras Tuner and W&B
 * report by default). Null when the metric was never reported or is not a finite number.
 */
export function objectiveOf(
  points: readonly MetricPoint[],
  metric: string,
  direction: Direction,
): { value: number | null; bestEpoch: number | null } {
  let value: number | null = null;
  let bestEpoch: number | null = null;
  for (const point of points) {
    if (point.name !== metric) continue;
    if (!Number.isFinite(point.value)) return { value: null, bestEpoch: point.epoch };
    if (isImprovement(point.value, value, direction)) {
      value = point.value;
      bestEpoch = point.epoch;
    }
  }
  return { value, bestEpoch };
}

/** Each trial gets its own seed, a pure function of the study seed and its trial number. */
export function trialSeed(studySeed: number, number: number): number {
  const mixed = Math.imul((studySeed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) ^ Math.imul(number + 1, 0xc2b2ae35);
  return (mixed >>> 0) & 0x7fffffff;
}
