import type { Study, Trial } from '../api/domain.js';
import { toPlainError } from '../api/errors.js';
import { studyStrategy } from './studyStrategy.js';
import type { PostgresStore } from '../store/postgresStore.js';
import { cancelQueuedTrials, isTimeBudgetSpent, queueTrial, startTimeBudget } from '../store/postgresWork.js';
import type { LeaseOwner } from '../store/store.js';
import { trialSeed } from './objective.js';
import { runRemoteWorker, type RemoteWorkerOptions } from './remoteWorker.js';
import { planRetries, retriesAfter } from './retryPolicy.js';
import { pendingReruns, rerunTrialIds } from './reruns.js';
import { StudyLease, type LeaseTiming } from './studyLease.js';
import { snapshotOf, type StudyRunOutcome } from './studyRun.js';
import { budgetSpentReason, outcomeOfFinishedRun } from './runOutcome.js';

export interface QueueOwnerOptions extends Omit<RemoteWorkerOptions, 'studyId' | 'exitWhenIdle' | 'signal'> {
  study: Study;
  owner: LeaseOwner;
  /** Trials kept queued ahead of the workers (default: 2 per local slot, at least 4). */
  queueDepth?: number;
  lease?: Partial<LeaseTiming>;
  /** Every trial of the study, each time the owner looks at the queue (the dashboard's running list). */
  onTrials?: (rows: readonly Trial[]) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `tunebench sweep` on a shared PostgreSQL store: the study's owner plus one more worker.
 * The owner holds the lease and keeps `queueDepth` trials queued: retries first, then the
 * strategy's next ask, from the shared history (every machine's trials, running ones included,
 * so TPE's constant liar sees them). Its own slots and every `tunebench worker` claim and train
 * them (runRemoteWorker). Pause and cancel requests arrive with the lease renewal: queuing stops
 * and running trials finish. The study is done when the strategy has nothing more to ask and no
 * trial is queued or running, or when its time budget is spent (QueueBudget) and none is running.
 */
export async function runQueuedStudy(options: QueueOwnerOptions): Promise<StudyRunOutcome> {
  return (await startQueuedStudy(options)).done;
}

/**
 * As runQueuedStudy, but resolves once the lease is held, so a refusal (LEASE_HELD, naming the
 * live owner) reaches the caller at once: the service's Resume and `tunebench resume`.
 */
export async function startQueuedStudy(options: QueueOwnerOptions): Promise<{ done: Promise<StudyRunOutcome> }> {
  const lease = new StudyLease(options.store, options.study.id, options.owner, options.lease);
  await lease.acquire(); // a dead owner's trials turn stale here, once; they are re-queued below
  return { done: ownQueuedStudy(options, lease) };
}

async function ownQueuedStudy(options: QueueOwnerOptions, lease: StudyLease): Promise<StudyRunOutcome> {
  const { store, study } = options;
  const startedAt = Date.now();
  const stopWorkers = new AbortController();
  let stop: StudyRunOutcome | null = null;
  try {
    const budget = await QueueBudget.start(store, study.id, study.spec.limits.maxMinutes);
    await store.setStudyStatus(study.id, 'running', null);
    const strategy = await studyStrategy(store, study.spec);
    const depth = options.queueDepth ?? Math.max(4, 2 * options.slots);
    const worker = runRemoteWorker({ ...options, studyId: study.id, exitWhenIdle: false, signal: stopWorkers.signal });
    let workerError: unknown = null;
    const workerDone = worker.catch((error: unknown) => {
      workerError = error;
    });
    let lastRenew = 0;
    for (;;) {
      if (workerError) throw workerError;
      if (Date.now() - lastRenew >= lease.timing.heartbeatMs) {
        lastRenew = Date.now();
        const request = await lease.renew();
        if (request === 'pause') stop = { status: 'paused', reason: 'paused by user' };
        if (request === 'cancel') stop = { status: 'cancelled', reason: 'cancelled by user' };
        if (stop) break;
      }
      // Checked before the list: once spent no trial is claimed, so the running ones seen are all.
      await budget.check();
      const { rows } = await store.listTrials(study.id, { sort: 'number', limit: Number.MAX_SAFE_INTEGER });
      options.onTrials?.(rows);
      // A worker met data that does not match the study: pause, as a one-machine run does.
      const dataFault = rows.find((t) => t.errorCode === 'DATASET_CHANGED' && (t.endedAt ?? 0) >= startedAt);
      if (dataFault) {
        stop = { status: 'paused', reason: dataFault.error ?? 'dataset changed' };
        break;
      }
      const streak = failuresInARow(rows, startedAt);
      if (streak.count >= study.spec.limits.maxConsecutiveFailures) {
        stop = { status: 'failed', reason: `${streak.count} trials failed in a row; the last: ${streak.lastError}` };
        break;
      }
      if (budget.isSpent) {
        if (!rows.some((t) => t.state === 'running')) break;
        await sleep(options.pollMs ?? 200);
        continue;
      }
      let queued = rows.filter((t) => t.state === 'queued').length;
      const retries = planRetries(rows, study.spec.limits.maxRetries);
      // Planned re-runs (spec.reruns) are queued before the strategy asks and never enter its history.
      const reruns = pendingReruns(study.spec, rows);
      const rerunIds = rerunTrialIds(study.spec, rows);
      const asked = rows.filter((t) => t.retryOf === null && !rerunIds.has(t.id)).map(snapshotOf);
      let isExhausted = false;
      while (queued < depth) {
        const retry = retries.shift();
        const rerun = retry ? undefined : reruns.shift();
        if (retry) await queueTrial(store, study.id, retry.params, retry.seed, retriesAfter(retry), retry.id);
        else if (rerun) await queueTrial(store, study.id, rerun.params, rerun.seed, 0);
        else {
          const params = strategy.ask(asked);
          if (!params) {
            isExhausted = true;
            break;
          }
          const seed = study.spec.trialSeed ?? trialSeed(study.spec.seed, asked.length);
          asked.push(snapshotOf(await queueTrial(store, study.id, params, seed, 0)));
        }
        queued += 1;
      }
      const open = rows.some((t) => t.state === 'queued' || t.state === 'running');
      if (isExhausted && !open && queued === 0 && retries.length === 0) break;
      await sleep(options.pollMs ?? 200);
    }
    stopWorkers.abort();
    await workerDone;
    if (workerError) throw workerError;
    await budget.cancelQueued(); // retries our own lanes queued as they ended
    const outcome = stop ?? (await outcomeOfFinishedRun(store, study.id, budget.spentMinutes));
    await store.setStudyStatus(study.id, outcome.status, outcome.reason);
    return outcome;
  } catch (error) {
    stopWorkers.abort();
    const outcome = { status: 'failed' as const, reason: toPlainError(error).message };
    await store.setStudyStatus(study.id, outcome.status, outcome.reason).catch(() => undefined);
    throw error;
  } finally {
    await lease.release();
  }
}

/**
 * limits.maxMinutes on the shared queue, as Optuna's `timeout=` reads to a user of its RDB storage
 * with many workers: the study's wall clock from when this queue run started, measured on the
 * database server's clock (now()), so machines with skewed clocks agree. Once spent, the owner
 * asks for no new trial and no worker claims a queued one (claimTrial checks the same clock in
 * its statement); running trials finish and are recorded; the study ends done with the reason a
 * one-process run gives. Trials still queued then end cancelled (never started), so resume runs
 * them again, and resume starts a fresh budget, as a one-process run's resume does.
 */
class QueueBudget {
  private hasEnded = false;

  private constructor(
    private readonly store: PostgresStore,
    private readonly studyId: number,
    private readonly minutes: number | undefined,
  ) {}

  static async start(store: PostgresStore, studyId: number, minutes: number | undefined): Promise<QueueBudget> {
    await startTimeBudget(store, studyId, minutes);
    return new QueueBudget(store, studyId, minutes);
  }

  get isSpent(): boolean {
    return this.hasEnded;
  }

  /** The budget for the outcome's reason when it ended the run, else null. */
  get spentMinutes(): number | null {
    return this.hasEnded ? (this.minutes ?? null) : null;
  }

  /** Looks at the server's clock (once spent, stays spent) and cancels what is left queued. */
  async check(): Promise<void> {
    if (this.minutes === undefined || this.hasEnded) return;
    if (!(await isTimeBudgetSpent(this.store, this.studyId))) return;
    this.hasEnded = true;
    await this.cancelQueued();
  }

  async cancelQueued(): Promise<void> {
    if (this.hasEnded && this.minutes !== undefined) await cancelQueuedTrials(this.store, this.studyId, Date.now(), budgetSpentReason(this.minutes));
  }
}

/**
 * The failures that ended this run's latest trials, by end time, as a one-process run counts them:
 * a cancelled trial neither counts nor breaks the streak; a stale one (a lost worker, re-queued)
 * and a changed dataset (the study pauses) are not the parameters' fault and do not count.
 */
function failuresInARow(rows: readonly Trial[], since: number): { count: number; lastError: string | null } {
  const ended = rows.filter((t) => t.endedAt !== null && t.endedAt >= since && t.state !== 'cancelled' && t.errorCode !== 'STALE' && t.errorCode !== 'DATASET_CHANGED');
  ended.sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
  let count = 0;
  for (let i = ended.length - 1; i >= 0 && ended[i]!.state === 'failed'; i -= 1) count += 1;
  return { count, lastError: ended.at(-1)?.error ?? null };
}
