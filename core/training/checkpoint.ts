import type { Direction } from '../api/domain.js';

/** Which epoch's weights a trial keeps: the best by this metric, as the objective ranks epochs. */
export interface CheckpointRule {
  metric: string;
  direction: Direction;
}

/**
 * True when `value` beats `best` under the direction (strictly: a tie keeps the earlier epoch, as
 * the trial's value does). A non-finite value never improves.
 */
export function isImprovement(value: number | undefined, best: number | null, direction: Direction): boolean {
  if (value === undefined || !Number.isFinite(value)) return false;
  if (best === null) return true;
  return direction === 'maximize' ? value > best : value < best;
}
