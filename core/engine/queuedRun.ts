import type { Trial } from '../api/domain.js';
import type { PostgresStore } from '../store/postgresStore.js';
import { startQueuedStudy, type QueueOwnerOptions } from './queueOwner.js';
import type { RunningTrial, StudyRunOutcome } from './studyRun.js';

/**
 * The service's handle on a study it owns through the shared queue of a PostgreSQL store (Resume
 * in the dashboard, `tunebench resume`, a study started there): the owner asks the strategy and
 * queues trials for any worker, so `tunebench worker` on other machines joins in, where a
 * one-process StudyRun would keep its trials to itself. Pause and cancel go through the store,
 * as from any other process; the owner obeys them with its next lease renewal.
 */
export class QueuedRun {
  private running: RunningTrial[] = [];

  constructor(
    private readonly store: PostgresStore,
    private readonly studyId: number,
  ) {}

  /** Resolves once the lease is held (rejects LEASE_HELD naming a live owner); `done` is the run's end. */
  start(options: Omit<QueueOwnerOptions, 'onTrials'>): Promise<{ done: Promise<StudyRunOutcome> }> {
    return startQueuedStudy({ ...options, onTrials: (rows) => this.seen(rows) });
  }

  /** Trials running on any machine, as of the owner's last look at the queue. */
  runningTrials(): RunningTrial[] {
    return this.running;
  }

  pause(): void {
    void this.store.requestControl(this.studyId, 'pause').catch(() => undefined);
  }

  cancel(): void {
    void this.store.requestControl(this.studyId, 'cancel').catch(() => undefined);
  }

  private seen(rows: readonly Trial[]): void {
    this.running = rows
      .filter((trial) => trial.state === 'running')
      .map((trial) => ({ trialId: trial.id, number: trial.number, epoch: trial.epochsRun, worker: trial.worker ?? '', pid: undefined }));
  }
}
