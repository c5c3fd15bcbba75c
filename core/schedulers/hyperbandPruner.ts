import type { AshaOptions } from './ashaPruner.js';
import { AshaPruner } from './ashaPruner.js';
import type { Scheduler } from './scheduler.js';

/**
 * Hyperband (Li et al. 2018) as brackets of ASHA, the way Optuna's HyperbandPruner runs it:
 * bracket s starts judging at minEpochs * eta^s epochs, so bracket 0 prunes hardest and the
 * last bracket lets its trials run longest before the first cut. A trial belongs to one bracket,
 * chosen by a hash of its id weighted by Hyperband's trial counts per bracket
 * (ceil((S+1)/(s+1)) * eta^(S-s)), and is only compared with trials of its own bracket.
 */
export class HyperbandPruner implements Scheduler {
  readonly name = 'hyperband';
  readonly brackets: AshaPruner[];
  private readonly weights: number[];
  private readonly assigned = new Map<number, number>();

  constructor(options: AshaOptions) {
    const { minEpochs, reductionFactor: eta, maxEpochs } = options;
    let last = 0;
    while (minEpochs * eta ** (last + 1) < maxEpochs) last += 1;
    this.brackets = [];
    this.weights = [];
    for (let s = 0; s <= last; s += 1) {
      this.brackets.push(new AshaPruner({ ...options, minEpochs: minEpochs * eta ** s }));
      this.weights.push(Math.ceil(((last + 1) / (s + 1)) * eta ** (last - s)));
    }
  }

  /** The bracket a trial id falls in: a fixed hash, so a resumed study agrees with itself. */
  bracketOf(trialId: number): number {
    let bracket = this.assigned.get(trialId);
    if (bracket === undefined) {
      const total = this.weights.reduce((sum, weight) => sum + weight, 0);
      let slot = hash32(trialId) % total;
      bracket = 0;
      while (slot >= this.weights[bracket]!) slot -= this.weights[bracket++]!;
      this.assigned.set(trialId, bracket);
    }
    return bracket;
  }

  report(trialId: number, epoch: number, value: number): boolean {
    return this.brackets[this.bracketOf(trialId)]!.report(trialId, epoch, value);
  }

  complete(trialId: number, curve: readonly number[]): void {
    this.brackets[this.bracketOf(trialId)]!.complete(trialId, curve);
  }
}

function hash32(value: number): number {
  let h = Math.imul(value ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
