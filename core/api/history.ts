import type { HistoryPoint } from './contract.js';
import type { Direction, TrialState } from './domain.js';
import type { TrialParams } from './spec.js';

/** What a history point is made of: a stored history row or a live trial update. */
export interface HistorySource {
  trialId: number;
  number: number;
  state: TrialState;
  value: number | null;
  durationMs: number | null;
  epochsRun: number;
  params: Pick<TrialParams, 'optimizer' | 'learningRate' | 'batchSize' | 'lrSchedule'>;
}

/** A finite value improves on the running best in the study's direction (or there is none yet). */
export function isBetter(value: number, best: number | null, direction: Direction): boolean {
  return Number.isFinite(value) && (best === null || (direction === 'maximize' ? value > best : value < best));
}

/** The value a history point charts: only complete trials carry one. */
export function chartedValue(source: Pick<HistorySource, 'state' | 'value'>): number | null {
  return source.state === 'complete' ? source.value : null;
}

/**
 * One point of the optimization-history chart; shared by the service (whole history) and the
 * renderer (live patches) so both count the same trials. Only complete trials carry a value.
 */
export function historyPoint(source: HistorySource, best: number | null): HistoryPoint {
  return {
    number: source.number,
    trialId: source.trialId,
    value: chartedValue(source),
    best,
    state: source.state,
    optimizer: source.params.optimizer,
    learningRate: source.params.learningRate,
    batchSize: source.params.batchSize,
    lrSchedule: source.params.lrSchedule,
    durationMs: source.durationMs,
    // Marked, never a value: a pruned trial's objective is from an early rung, not comparable.
    ...(source.state === 'pruned' ? { pruned: { value: source.value, epoch: source.epochsRun } } : {}),
  };
}
