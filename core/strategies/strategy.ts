import type { Direction, TrialState } from '../api/domain.js';
import type { TrialParams } from '../api/spec.js';

/** What a strategy may see of a past trial: a frozen snapshot, never a live row. */
export interface TrialSnapshot {
  readonly number: number;
  readonly params: Readonly<TrialParams>;
  readonly state: TrialState;
  /** Complete: the objective; pruned: the last value reported before it stopped. */
  readonly value: number | null;
  /** Epochs the trial ran (a pruned trial's rung); absent when not known. */
  readonly epochsRun?: number;
}

/**
 * Proposes the next trial's parameters.
 *
 * Contract: `ask` is called once per new trial number, in order, with every trial created so
 * far (finished or not); it returns null when the strategy has nothing left to propose. It must
 * be a pure function of its construction arguments and `history`, so a resumed study asks again
 * and gets the same sequence (the same seed gives the same trials on any machine). `tell` is an
 * optional hook for model-based strategies (TPE) when a trial finishes.
 */
export interface Strategy {
  readonly name: string;
  /** Trials this strategy will produce in all, when known in advance. */
  readonly plannedTrials: number;
  ask(history: readonly TrialSnapshot[]): TrialParams | null;
  tell?(trial: TrialSnapshot, direction: Direction): void;
}
