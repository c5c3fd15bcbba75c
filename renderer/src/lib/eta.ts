import type { HistoryPoint } from '../../../core/api/contract.js';

/** What the wizard knows when it estimates how long a sweep takes. */
export interface EtaInput {
  trials: number;
  epochs: number;
  /** All rows: each epoch passes the train share in batches and the rest forward once. */
  rows: number;
  trainRows: number;
  featureCount: number;
  hidden: readonly number[];
  batchSizes: readonly number[];
  workers: number;
  /** CPU cores here, when known: workers beyond them do not run in parallel. */
  cores?: number;
}

/** Seconds, optimistic and pessimistic. */
export interface EtaRange {
  low: number;
  high: number;
}

interface Costs {
  /** Optimizer step and kernel dispatch; dominates iris-sized models. */
  batchMs: number;
  /** Validation pass and metric read-back. */
  epochMs: number;
  /** Per row x (features + hidden units): MNIST 784-64 on 10,000 rows takes ~0.6 s an epoch. */
  rowUnitMs: number;
  /** Model build, store writes and scheduling. */
  trialSeconds: number;
  /** Process start, tfjs backend init and dataset load, once per worker (0.2-0.4 s compiled, ~1.3 s from the sources). */
  workerStartSeconds: number;
}

// Measured with tfjs-wasm on a 2-core machine (bench backends, e2e sweeps: iris at batch 16
// runs 11-26 ms an epoch); the spread is real, so the wizard shows a range.
const fast: Costs = { batchMs: 1.2, epochMs: 2, rowUnitMs: 5e-5, trialSeconds: 0.25, workerStartSeconds: 0.5 };
const slow: Costs = { batchMs: 4, epochMs: 4, rowUnitMs: 1e-4, trialSeconds: 0.5, workerStartSeconds: 1.5 };
/** The optimistic worker start-up: no estimate is shorter than this. */
export const workerStartSeconds = fast.workerStartSeconds;

/** A sweep's wall clock as start-up plus a cost per trial, both already divided among the lanes. */
function sweepCosts(input: EtaInput, costs: Costs, parallel: number): { lanes: number; startSeconds: number; perTrialSeconds: number } {
  const lanes = Math.max(1, Math.min(input.workers, input.trials));
  const batches = input.batchSizes.reduce((sum, size) => sum + Math.ceil(input.trainRows / Math.max(1, size)), 0) / input.batchSizes.length;
  const units = input.featureCount + input.hidden.reduce((sum, width) => sum + width, 0);
  const epochMs = batches * costs.batchMs + costs.epochMs + input.rows * units * costs.rowUnitMs;
  const trialSeconds = costs.trialSeconds + (input.epochs * epochMs) / 1000;
  const running = Math.max(1, Math.min(lanes, parallel));
  return { lanes, startSeconds: (lanes * costs.workerStartSeconds) / running, perTrialSeconds: trialSeconds / running };
}

function sweepSeconds(input: EtaInput, costs: Costs, parallel: number): number {
  const { startSeconds, perTrialSeconds } = sweepCosts(input, costs, parallel);
  return startSeconds + input.trials * perTrialSeconds;
}

/** A wall-clock range for the wizard; the study view shows the measured ETA once trials finish. */
export function estimateSweepSeconds(input: EtaInput): EtaRange {
  if (input.trials <= 0 || input.batchSizes.length === 0) return { low: 0, high: 0 };
  return {
    low: sweepSeconds(input, fast, input.workers),
    high: sweepSeconds(input, slow, input.cores ?? input.workers),
  };
}

/**
 * How many of the planned trials start before `seconds` have passed (a time budget: none starts
 * after it), fewest on the pessimistic costs; never more than planned. Packing is not modelled
 * (a packed lane starts up to K at each ask), so with it on this is a floor.
 */
export function trialsStartedWithin(input: EtaInput, seconds: number): EtaRange {
  const started = (costs: Costs, parallel: number) => {
    const { lanes, startSeconds, perTrialSeconds } = sweepCosts(input, costs, parallel);
    // A lane asks its first trial before its worker starts (studyRun), then one more each time a
    // trial ends; asks stop at the deadline.
    const perLane = 1 + Math.max(0, Math.floor((seconds - startSeconds) / (perTrialSeconds * lanes)));
    return Math.min(input.trials, lanes * perLane);
  };
  return { low: started(slow, input.cores ?? input.workers), high: started(fast, input.workers) };
}

const durationsKept = 200;

/**
 * Seconds left from the mean duration of the last finished trials, as the host computes it;
 * null until one has finished. History is in trial order, so the newest are at the end.
 */
export function etaFromHistory(points: readonly HistoryPoint[], remaining: number, workers: number): number | null {
  if (remaining <= 0) return 0;
  let total = 0;
  let count = 0;
  for (let index = points.length - 1; index >= 0 && count < durationsKept; index--) {
    const point = points[index];
    if (point?.state !== 'complete' || point.durationMs === null) continue;
    total += point.durationMs;
    count++;
  }
  if (count === 0) return null;
  return Math.round((total / count / 1000) * remaining / Math.max(1, workers));
}
