import type { Direction, MetricPoint, TrialFailureCode } from '../api/domain.js';
import type { TrialResult } from '../store/store.js';
import { objectiveOf } from './objective.js';
import { failureText } from './retryPolicy.js';
import type { RunResult } from './workerSlot.js';

export interface VerdictContext {
  number: number;
  metric: string;
  direction: Direction;
  /** The scheduler asked this trial to stop: a stop ends it pruned. */
  isPruning: boolean;
  /** The user cancelled the run: a stop (or a death by the terminal's SIGINT) ends it cancelled. */
  isCancelling: boolean;
  endedAt: number;
}

/** How one trial's run ended, as stored: state, value, code and message. */
export function trialVerdict(result: RunResult, points: readonly MetricPoint[], ctx: VerdictContext): Omit<TrialResult, 'backend'> {
  const { endedAt } = ctx;
  const epochsRun = new Set(points.map((point) => point.epoch)).size;
  const failed = (errorCode: TrialFailureCode, error: string) => ({ state: 'failed' as const, value: null, bestEpoch: null, epochsRun, endedAt, error, errorCode });
  const cancelled = { state: 'cancelled' as const, value: null, bestEpoch: null, epochsRun, endedAt, error: failureText.cancelled, errorCode: 'TRIAL_CANCELLED' as const };
  switch (result.kind) {
    case 'crashed':
      if (ctx.isCancelling) return cancelled;
      return failed(result.isOutOfMemory ? 'TRIAL_OOM' : 'TRIAL_CRASHED', result.detail);
    case 'timeout':
      return failed('TRIAL_TIMEOUT', failureText.timeout);
    case 'lost':
      return failed('HEARTBEAT_LOST', failureText.heartbeatLost);
    case 'ended':
      break;
  }
  const end = result.end;
  if (end.state === 'failed') {
    if (end.reason === 'diverged') return failed('TRIAL_DIVERGED', `diverged: ${end.error}`);
    return failed(end.reason === 'dataset' ? 'DATASET_CHANGED' : 'TRIAL_ERROR', end.error);
  }
  if (end.state === 'stopped' && ctx.isPruning) {
    // As Optuna does: a pruned trial keeps its last reported value (it never ranks as best).
    const last = lastFinite(points, ctx.metric);
    return { state: 'pruned', value: last?.value ?? null, bestEpoch: last?.epoch ?? null, epochsRun: end.epochsRun, endedAt, error: null, errorCode: null };
  }
  if (end.state === 'stopped') return { ...cancelled, epochsRun: end.epochsRun };
  const { value, bestEpoch } = objectiveOf(points, ctx.metric, ctx.direction);
  // Stricter than Optuna: a NaN, Inf or missing objective never counts as complete.
  if (value === null) return failed('OBJECTIVE_INVALID', `objective ${ctx.metric} is not a finite number (trial ${ctx.number})`);
  return { state: 'complete', value, bestEpoch, epochsRun: end.epochsRun, endedAt, error: null, errorCode: null };
}

function lastFinite(points: readonly MetricPoint[], metric: string): MetricPoint | null {
  let last: MetricPoint | null = null;
  for (const point of points) if (point.name === metric && Number.isFinite(point.value) && (!last || point.epoch >= last.epoch)) last = point;
  return last;
}
