import type { ApiEvent } from '../../../core/api/contract.js';
import type { StudySummary, Trial } from '../../../core/api/domain.js';

export interface EpochUpdate {
  trialId: number;
  studyId: number;
  epoch: number;
  metrics: Record<string, number>;
}

/** Events coalesced between two flushes: the latest study and trial state, every epoch report. */
export interface EventBatch {
  studies: Map<number, StudySummary>;
  trials: Map<number, Trial>;
  /** Per trial, in arrival order (curves need every point, not just the latest). */
  epochs: Map<number, EpochUpdate[]>;
  size: number;
}

export interface Scheduler {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const timers: Scheduler = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function emptyBatch(): EventBatch {
  return { studies: new Map(), trials: new Map(), epochs: new Map(), size: 0 };
}

/**
 * Collects pushed events and hands them over at most once per `intervalMs` (trailing), so a
 * sweep that reports hundreds of epochs a second costs the UI a few updates a second.
 */
export class EventBatcher {
  private batch = emptyBatch();
  private handle: unknown = null;

  constructor(
    private readonly onFlush: (batch: EventBatch) => void,
    private readonly intervalMs = 400,
    private readonly scheduler: Scheduler = timers,
  ) {}

  push(event: ApiEvent): void {
    const batch = this.batch;
    batch.size++;
    if (event.type === 'study') batch.studies.set(event.study.id, event.study);
    else if (event.type === 'trial') batch.trials.set(event.trial.id, event.trial);
    else {
      const update = { trialId: event.trialId, studyId: event.studyId, epoch: event.epoch, metrics: event.metrics };
      const list = batch.epochs.get(event.trialId);
      if (list) list.push(update);
      else batch.epochs.set(event.trialId, [update]);
    }
    if (this.handle === null) this.handle = this.scheduler.set(() => this.flush(), this.intervalMs);
  }

  /** Hands over what is pending now (also used on teardown so nothing is lost). */
  flush(): void {
    if (this.handle !== null) this.scheduler.clear(this.handle);
    this.handle = null;
    if (this.batch.size === 0) return;
    const batch = this.batch;
    this.batch = emptyBatch();
    this.onFlush(batch);
  }

  dispose(): void {
    if (this.handle !== null) this.scheduler.clear(this.handle);
    this.handle = null;
    this.batch = emptyBatch();
  }
}
