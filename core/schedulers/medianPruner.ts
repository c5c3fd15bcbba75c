import type { Direction } from '../api/domain.js';
import type { Scheduler } from './scheduler.js';

export interface MedianPrunerOptions {
  direction: Direction;
  /** No pruning until this many trials have completed. */
  startupTrials: number;
  /** No pruning before this epoch (counting from 0) of each trial. */
  warmupEpochs: number;
}

/**
 * Optuna's median rule: stop a trial whose best objective so far is worse than the median of
 * the completed trials' objectives at the same epoch.
 */
export class MedianPruner implements Scheduler {
  readonly name = 'median';
  private readonly curves: number[][] = [];
  private readonly bestSoFar = new Map<number, number>();

  constructor(private readonly options: MedianPrunerOptions) {}

  report(trialId: number, epoch: number, value: number): boolean {
    const isMax = this.options.direction === 'maximize';
    const seen = this.bestSoFar.get(trialId);
    const best = seen === undefined ? value : isMax ? Math.max(seen, value) : Math.min(seen, value);
    this.bestSoFar.set(trialId, best);
    if (epoch < this.options.warmupEpochs || this.curves.length < this.options.startupTrials) return false;
    const atEpoch = this.curves.map((curve) => curve[epoch]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    if (atEpoch.length < this.options.startupTrials) return false;
    const median = medianOf(atEpoch);
    return isMax ? best < median : best > median;
  }

  complete(trialId: number, curve: readonly number[]): void {
    this.bestSoFar.delete(trialId);
    this.curves.push([...curve]);
  }
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
