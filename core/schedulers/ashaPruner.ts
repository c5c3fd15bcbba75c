import type { Direction } from '../api/domain.js';
import type { Scheduler } from './scheduler.js';

export interface AshaOptions {
  direction: Direction;
  /** Epochs every trial gets before its first rung. */
  minEpochs: number;
  /** Rungs sit at minEpochs * reductionFactor^k epochs; the top 1/reductionFactor go on. */
  reductionFactor: number;
  /** The spec's epochs: no rung at or beyond the full run. */
  maxEpochs: number;
  /** Spare a trial whose value is within the epoch-to-epoch noise of the rung's threshold. */
  noiseAware?: boolean;
}

/** The epoch counts at which a trial is judged: minEpochs * eta^k, below maxEpochs. */
export function rungEpochs({ minEpochs, reductionFactor, maxEpochs }: Omit<AshaOptions, 'direction'>): number[] {
  const rungs: number[] = [];
  for (let epochs = minEpochs; epochs < maxEpochs; epochs *= reductionFactor) rungs.push(epochs);
  return rungs;
}

/**
 * Asynchronous successive halving (Li et al. 2020, Optuna's SuccessiveHalvingPruner). When a
 * trial has run exactly a rung's number of epochs, its value there is recorded; it goes on only
 * if that value ranks in the top floor(n / eta) of the n values recorded at the rung so far
 * (itself included; at least the single best goes on, so the first trial at a rung always does).
 * Nobody waits for a full rung: the decision uses whatever has been recorded, which is what
 * makes it asynchronous. Unlike Optuna, the value at a rung is the trial's best so far rather
 * than the value of that one epoch, so one noisy validation epoch does not end a good trial.
 *
 * `noiseAware` (the default in specs): the threshold is widened by the curves' own noise, the
 * median absolute change from one epoch to the next over the completed curves. On a validation
 * set so small that two epochs of one trial differ more than two trials do, ranking at a rung is
 * a coin toss, and pruning then costs the good trials it kills; no trial completed means no margin.
 */
export class AshaPruner implements Scheduler {
  readonly name: string = 'asha';
  private readonly rungs: number[];
  /** Per rung, trial id -> recorded value. */
  private readonly recorded: Map<number, number>[];
  private readonly bestSoFar = new Map<number, number>();
  private readonly epochChanges: number[] = [];
  private noise = 0;

  constructor(private readonly options: AshaOptions) {
    this.rungs = rungEpochs(options);
    this.recorded = this.rungs.map(() => new Map());
  }

  report(trialId: number, epoch: number, value: number): boolean {
    const best = this.better(this.bestSoFar.get(trialId), value);
    this.bestSoFar.set(trialId, best);
    const rung = this.rungs.indexOf(epoch + 1);
    if (rung < 0) return false;
    const values = this.recorded[rung]!;
    values.set(trialId, best);
    return !this.isPromotable(best, [...values.values()]);
  }

  /** A completed curve enters every rung it passed (a resumed study rebuilds its rungs so). */
  complete(trialId: number, curve: readonly number[]): void {
    let best: number | undefined;
    curve.forEach((value, epoch) => {
      if (!Number.isFinite(value)) return;
      best = this.better(best, value);
      const rung = this.rungs.indexOf(epoch + 1);
      if (rung >= 0 && !this.recorded[rung]!.has(trialId)) this.recorded[rung]!.set(trialId, best);
    });
    this.bestSoFar.delete(trialId);
    if (this.options.noiseAware) {
      for (let epoch = 1; epoch < curve.length; epoch += 1) {
        const change = Math.abs(curve[epoch]! - curve[epoch - 1]!);
        if (Number.isFinite(change)) this.epochChanges.push(change);
      }
      const sorted = [...this.epochChanges].sort((a, b) => a - b);
      this.noise = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)]! : 0;
    }
  }

  private isPromotable(value: number, competitors: number[]): boolean {
    const isMax = this.options.direction === 'maximize';
    const sorted = competitors.sort((a, b) => (isMax ? b - a : a - b));
    const keep = Math.max(1, Math.floor(sorted.length / this.options.reductionFactor));
    const threshold = sorted[keep - 1]!;
    return isMax ? value >= threshold - this.noise : value <= threshold + this.noise;
  }

  private better(seen: number | undefined, value: number): number {
    if (seen === undefined) return value;
    return this.options.direction === 'maximize' ? Math.max(seen, value) : Math.min(seen, value);
  }
}
