
/**
 * Decides, epoch by epoch, whether a running trial should stop early (be pruned).
 *
 * Contract: `report` is called once per epoch of a running trial, in epoch order, with the
 * objective at that epoch; it returns true when the trial should stop now. `complete` hands over
 * the whole objective curve of a trial that finished, so later trials are judged against it.
 * Pure bookkeeping: no I/O, no clock, so the same history gives the same decisions.
 */
export interface Scheduler {
  readonly name: string;
  report(trialId: number, epoch: number, value: number): boolean;
  complete(trialId: number, curve: readonly number[]): void;
}

/** Never prunes: the default when a spec names no pruner. */
export const noPruning: Scheduler = { name: 'none', report: () => false, complete: () => {} };

