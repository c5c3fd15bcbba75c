import { join } from 'node:path';
import type { ApiEvent } from '../api/contract.js';
import type { MetricPoint, Study, StudyStatus, Trial } from '../api/domain.js';
import { createScheduler } from '../schedulers/createScheduler.js';
import type { Scheduler } from '../schedulers/scheduler.js';
import { createStrategy } from '../strategies/createStrategy.js';
import type { Strategy, TrialSnapshot } from '../strategies/strategy.js';
import { TunebenchError, toPlainError } from '../api/errors.js';
import type { BackendName } from '../api/spec.js';
import type { ControlRequest, LeaseOwner, Store } from '../store/store.js';
import { StudyLease, type LeaseTiming } from './studyLease.js';
import type { TrialJob } from '../training/protocol.js';
import { MetricWriter } from './metricWriter.js';
import { trialSeed } from './objective.js';
import { datasetChange } from './datasetCheck.js';
import { failureText, planRetries, retriesAfter, shouldRetry } from './retryPolicy.js';
import { pendingReruns, rerunTrialIds } from './reruns.js';
import { studyStrategy } from './studyStrategy.js';
import { HeldOutTestMetrics, withoutTestMetrics } from './testMetrics.js';
import type { Spawner } from './spawner.js';
import { trialVerdict } from './trialVerdict.js';
import type { SlotOptions } from './workerSlot.js';
import { WorkerSlot, type RunHooks, type RunResult } from './workerSlot.js';
import { packKey } from '../training/packing.js';
import { outcomeOfFinishedRun } from './runOutcome.js';

/** A trial handed to a worker: its job, the hooks that record it, and what they collect. */
interface StartedTrial {
  job: TrialJob;
  hooks: RunHooks;
  points: MetricPoint[];
  testMetrics: HeldOutTestMetrics;
  backend: { name: string | null };
}

export interface StudyRunOptions {
  store: Store;
  spawner: Spawner;
  study: Study;
  workers: number;
  /** Relative CSV paths in the spec resolve against this. */
  baseDir: string;
  emit(event: ApiEvent): void;
  slot?: Partial<SlotOptions>;
  /** How long a cancelled trial may take to stop by itself before its worker is killed. */
  cancelGraceMs?: number;
  /** This engine, as the study's lease names it. */
  owner: LeaseOwner;
  lease?: Partial<LeaseTiming>;
  /** Forces the workers' backend (sweep --backend); else the spec's `backend`, else the fastest. */
  backend?: BackendName;
  /**
   * When the first worker lands on webgpu, only this many workers run (one GPU is shared by the
   * pool); unset keeps `workers`. The service sets it when the worker count was not chosen.
   */
  gpuWorkers?: number;
}


export interface StudyRunOutcome {
  status: StudyStatus;
  reason: string | null;
}

export interface RunningTrial {
  trialId: number;
  number: number;
  epoch: number;
  worker: string;
  /** The worker process, for diagnostics (and for tests that stop or kill it). */
  pid: number | undefined;
}

const defaultSlot: SlotOptions = { heartbeatGraceMs: 30_000, readyTimeoutMs: 60_000, killGraceMs: 2_000 };

/**
 * Runs one study to its end (or until paused, cancelled, or K failures in a row): asks the
 * strategy for parameters, hands each trial to a free worker, records every epoch, and writes
 * each trial's final state last. The one writer of its study.
 */
export class StudyRun {
  private readonly store: Store;
  private strategy: Strategy;
  private readonly scheduler: Scheduler;
  /** Trials the scheduler asked to stop: their stop ends them pruned, not cancelled. */
  private readonly pruning = new Set<number>();
  private readonly metrics: MetricWriter;
  private readonly asked: TrialSnapshot[] = [];
  private retryQueue: Trial[] = [];
  /** Trials asked (queued in the store) that did not fit the pack being formed: the next pack starts with them. */
  private readonly heldTrials: Trial[] = [];
  /** Planned re-runs (spec `reruns`) not yet created: run before the strategy asks again. */
  private rerunQueue: { params: Trial['params']; seed: number }[] = [];
  /** Re-run trials train every epoch: pruning one would bias the seed statistics it is run for. */
  private readonly rerunIds = new Set<number>();
  private readonly running = new Map<number, Omit<RunningTrial, 'pid'> & { slot: WorkerSlot }>();
  private readonly beats = new Set<number>();
  private nextLock: Promise<unknown> = Promise.resolve();
  private stopReason: { status: StudyStatus; reason: string } | null = null;
  private consecutiveFailures = 0;
  private exhausted = false;
  /** When limits.maxMinutes is spent (ms since the epoch), and whether a later ask found it so. */
  private deadline = Infinity;
  private isBudgetSpent = false;
  private slots: WorkerSlot[] = [];
  private readonly lease: StudyLease;

  constructor(private readonly options: StudyRunOptions) {
    this.store = options.store;
    this.strategy = createStrategy(options.study.spec);
    this.scheduler = createScheduler(options.study.spec);
    this.metrics = new MetricWriter(this.store, 250);
    this.lease = new StudyLease(this.store, options.study.id, options.owner, options.lease);
  }

  get study(): Study {
    return this.options.study;
  }

  runningTrials(): RunningTrial[] {
    return [...this.running.values()].map(({ trialId, number, epoch, worker, slot }) => ({ trialId, number, epoch, worker, pid: slot.pid }));
  }

  /** No new trials; the running ones finish. */
  pause(): void {
    this.stopReason ??= { status: 'paused', reason: 'paused by user' };
  }

  /** Running trials stop after their current batch and are marked cancelled; resume re-runs them. */
  cancel(reason = 'cancelled by user'): void {
    if (this.stopReason?.status !== 'failed') this.stopReason = { status: 'cancelled', reason };
    this.stopRunningTrials();
  }

  private stopRunningTrials(): void {
    const grace = this.options.cancelGraceMs ?? 5_000;
    for (const { trialId, slot } of this.running.values()) {
      slot.requestStop(trialId);
      setTimeout(() => slot.abort(trialId), grace).unref();
    }
  }

  /**
   * Takes the study's lease (rejects with LEASE_HELD naming the live owner); trials a dead owner
   * left running are failed as stale here, once. `run` calls it when the caller has not.
   */
  acquire(): Promise<void> {
    return this.lease.acquire();
  }

  async run(): Promise<StudyRunOutcome> {
    await this.lease.acquire();
    try {
      return await this.runOwned();
    } finally {
      await this.lease.release();
    }
  }

  private async runOwned(): Promise<StudyRunOutcome> {
    const { study } = this.options;
    const changed = await datasetChange(study, this.options.baseDir);
    if (changed) return this.endBeforeAnyTrial({ status: 'paused', reason: changed });
    await this.store.setStudyStatus(study.id, 'running', null);
    if (study.spec.limits.maxMinutes !== undefined) this.deadline = Date.now() + study.spec.limits.maxMinutes * 60_000;
    const { rows } = await this.store.listTrials(study.id, { sort: 'number', limit: Number.MAX_SAFE_INTEGER });
    // Re-runs are not the strategy's asks: its history stays what it asked, so it continues exactly.
    const reruns = rerunTrialIds(study.spec, rows);
    for (const id of reruns) this.rerunIds.add(id);
    for (const trial of rows) if (trial.retryOf === null && !reruns.has(trial.id)) this.asked.push(snapshotOf(trial));
    this.rerunQueue = pendingReruns(study.spec, rows);
    await this.warmStart();
    this.retryQueue = planRetries(rows, study.spec.limits.maxRetries);
    await this.replayCompletedCurves(rows);

    const backend = this.options.backend ?? study.spec.backend;
    const slotOptions = { ...defaultSlot, ...this.options.slot, ...(backend ? { env: { TUNEBENCH_BACKEND: backend } } : {}) };
    this.slots = Array.from({ length: Math.max(1, this.options.workers) }, (_, i) =>
      new WorkerSlot(this.options.spawner, `s${study.id}-w${i}`, slotOptions),
    );
    const heartbeat = setInterval(() => void this.writeHeartbeats(), this.lease.timing.heartbeatMs);
    try {
      // Lanes never reject (a lane's error stops the run in failRun), so all settle before the workers go.
      await Promise.all(this.slots.map((slot, index) => this.lane(slot, index)));
    } finally {
      clearInterval(heartbeat);
      await this.metrics.flush().catch((error: unknown) => this.failRun(error));
      await Promise.all(this.slots.map((slot) => slot.shutdown()));
    }
    const outcome = this.stopReason ?? (await this.outcomeOfFinishedRun());
    await this.store.setStudyStatus(study.id, outcome.status, outcome.reason);
    this.options.emit({ type: 'study', study: await this.store.summarizeStudy(study.id) });
    return outcome;
  }

  private async endBeforeAnyTrial(outcome: StudyRunOutcome): Promise<StudyRunOutcome> {
    await this.store.setStudyStatus(this.study.id, outcome.status, outcome.reason);
    this.options.emit({ type: 'study', study: await this.store.summarizeStudy(this.study.id) });
    return outcome;
  }

  /** A run in which no trial completed failed (a sweep of timeouts is not done). */
  private outcomeOfFinishedRun(): Promise<StudyRunOutcome> {
    return outcomeOfFinishedRun(this.store, this.study.id, this.isBudgetSpent ? (this.study.spec.limits.maxMinutes ?? null) : null);
  }

  /**
   * One lane's store error stops every lane. A full disk or an I/O error pauses the study (resume
   * once the disk is fixed: RELIABILITY row 5); anything else (locked, a conflict) fails it.
   */
  private failRun(error: unknown): void {
    if (this.stopReason?.status === 'failed') return;
    const isStorage = error instanceof TunebenchError && error.code === 'STORE_IO';
    if (isStorage && this.stopReason?.status === 'paused') return;
    this.stopReason = { status: isStorage ? 'paused' : 'failed', reason: toPlainError(error).message };
    this.stopRunningTrials();
  }

  private async lane(slot: WorkerSlot, index: number): Promise<void> {
    try {
      const { gpuWorkers } = this.options;
      if (gpuWorkers !== undefined && index >= gpuWorkers) {
        const first = this.slots[0]!;
        await first.warmUp();
        if (first.backend === 'webgpu') return;
      }
      const { search, packing: packingSpec } = this.study.spec;
      // K asks at once: grid, random and sobol give distinct points; TPE only with its constant liar.
      const packing = search.strategy === 'tpe' && !search.constantLiar ? 1 : (packingSpec?.maxTrials ?? 1);
      while (!this.stopReason && packing > 1) {
        const pack = await this.nextPack(packing);
        if (pack.length === 0) return;
        if (pack.length === 1) await this.runTrial(slot, pack[0]!);
        else await this.runPacked(slot, pack);
      }
      while (!this.stopReason) {
        const trial = await this.nextTrial();
        if (!trial) return;
        await this.runTrial(slot, trial);
      }
    } catch (error) {
      this.failRun(error);
    }
  }

  /** Serialised: numbers are handed out one at a time, in the strategy's order. */
  private nextTrial(): Promise<Trial | null> {
    const next = this.nextLock.then(async () => {
      if (this.stopReason) return null;
      if (Date.now() >= this.deadline) {
        this.isBudgetSpent = true;
        return null;
      }
      const retry = this.retryQueue.shift();
      if (retry) {
        const again = await this.store.createTrial(this.study.id, retry.params, retry.seed, retriesAfter(retry), retry.id);
        if (this.rerunIds.has(retry.id)) this.rerunIds.add(again.id);
        return again;
      }
      const rerun = this.rerunQueue.shift();
      if (rerun) {
        const created = await this.store.createTrial(this.study.id, rerun.params, rerun.seed, 0);
        this.rerunIds.add(created.id);
        return created;
      }
      if (this.exhausted) return null;
      const params = this.strategy.ask(this.asked);
      if (!params) {
        this.exhausted = true;
        return null;
      }
      const seed = this.study.spec.trialSeed ?? trialSeed(this.study.spec.seed, this.asked.length);
      const trial = await this.store.createTrial(this.study.id, params, seed, 0);
      this.asked.push(snapshotOf(trial));
      return trial;
    });
    this.nextLock = next.catch(() => undefined);
    return next;
  }

  private async runTrial(slot: WorkerSlot, trial: Trial): Promise<void> {
    const started = await this.startTrial(slot, trial);
    const result = await slot.run(started.job, started.hooks, this.study.spec.limits.trialTimeoutSeconds * 1000);
    await this.finishTrial(slot, trial, started, result);
  }

  /** Trials that share a pack key on one worker as one packed model; each is finished as it ends. */
  private async runPacked(slot: WorkerSlot, trials: readonly Trial[]): Promise<void> {
    const started: StartedTrial[] = [];
    for (const trial of trials) started.push(await this.startTrial(slot, trial));
    const results = slot.runPack(started.map(({ job }) => job), started.map(({ hooks }) => hooks), this.study.spec.limits.trialTimeoutSeconds * 1000);
    await Promise.all(results.map((result, i) => result.then((ended) => this.finishTrial(slot, trials[i]!, started[i]!, ended))));
  }

  /**
   * Up to spec.packing.maxTrials trials that share the first one's pack key (core/training/packing.ts).
   * A trial asked that does not fit is held for the next pack (it stays queued in the store, so a
   * stop leaves it for resume, as a dead owner's queued trials).
   */
  private async nextPack(maxTrials: number): Promise<Trial[]> {
    const first = this.heldTrials.shift() ?? (await this.nextTrial());
    if (!first) return [];
    const key = packKey(this.study.spec.model, first.params);
    const pack = [first];
    if (key === null) return pack;
    for (const held of [...this.heldTrials]) {
      if (pack.length < maxTrials && packKey(this.study.spec.model, held.params) === key) {
        pack.push(held);
        this.heldTrials.splice(this.heldTrials.indexOf(held), 1);
      }
    }
    // Bounded: a space where few trials share a key must not be asked out ahead of the workers.
    for (let asks = 0; pack.length < maxTrials && asks < 2 * maxTrials && !this.stopReason; asks++) {
      const next = await this.nextTrial();
      if (!next) break;
      if (packKey(this.study.spec.model, next.params) === key) pack.push(next);
      else this.heldTrials.push(next);
    }
    return pack;
  }

  private async startTrial(slot: WorkerSlot, trial: Trial): Promise<StartedTrial> {
    const { spec } = this.study;
    const startedAt = Date.now();
    await this.store.markTrialRunning(trial.id, slot.id, startedAt);
    const entry = { trialId: trial.id, number: trial.number, epoch: -1, worker: slot.id, slot };
    this.running.set(trial.id, entry);
    this.options.emit({ type: 'trial', trial: { ...trial, state: 'running', startedAt, worker: slot.id } });

    const points: MetricPoint[] = [];
    const testMetrics = new HeldOutTestMetrics();
    const backend = { name: slot.backend };
    const job: TrialJob = {
      trialId: trial.id,
      number: trial.number,
      params: trial.params,
      seed: trial.seed,
      dataset: spec.dataset,
      baseDir: this.options.baseDir,
      datasetFingerprint: this.study.datasetFingerprint,
      model: spec.model,
      epochs: spec.epochs,
      validationSplit: spec.validationSplit,
      ...(spec.testSplit === undefined ? {} : { testSplit: spec.testSplit }),
      splitSeed: spec.seed,
      awaitsVerdict: this.scheduler.name !== 'none' && !this.rerunIds.has(trial.id),
      ...this.weightsJob(trial),
    };
    return {
      job,
      points,
      testMetrics,
      backend,
      hooks: {
        onStarted: (name) => {
          backend.name = name;
        },
        onEpoch: (report) => {
          entry.epoch = report.epoch;
          const epochPoints = testMetrics.hold(trial.id, report.epoch, report.metrics);
          points.push(...epochPoints);
          this.metrics.add(epochPoints);
          this.options.emit({ type: 'epoch', trialId: trial.id, studyId: this.study.id, epoch: report.epoch, metrics: withoutTestMetrics(report.metrics) });
          const objective = report.metrics[this.study.objective.metric];
          if (objective !== undefined && Number.isFinite(objective) && !this.rerunIds.has(trial.id) && this.scheduler.report(trial.id, report.epoch, objective) && !this.pruning.has(trial.id)) {
            this.pruning.add(trial.id);
            return true;
          }
          return false;
        },
        onHeartbeat: () => this.beats.add(trial.id),
      },
    };
  }

  private async finishTrial(slot: WorkerSlot, trial: Trial, started: StartedTrial, result: RunResult): Promise<void> {
    const { job, points, testMetrics } = started;
    const backend = started.backend.name;
    this.running.delete(trial.id);
    this.beats.delete(trial.id);

    const outcome = trialVerdict(result, points, {
      number: trial.number,
      ...this.study.objective,
      isPruning: this.pruning.has(trial.id),
      isCancelling: this.stopReason?.status === 'cancelled',
      endedAt: Date.now(),
    });
    if (outcome.state === 'complete') this.scheduler.complete(trial.id, curveOf(points, this.study.objective.metric));
    this.pruning.delete(trial.id);
    // Only the best epoch's test metrics are stored, with the trial's last points.
    const lastPoints = [...this.metrics.take(trial.id), ...testMetrics.atEpoch(outcome.state === 'complete' ? outcome.bestEpoch : null)];
    let finished: Trial;
    try {
      finished = await this.store.finishTrial(trial.id, { ...outcome, backend, backendNote: slot.backendNote, adapter: slot.adapter }, lastPoints);
    } catch (error) {
      if (!(error instanceof TunebenchError && error.code === 'STORE_IO')) throw error;
      finished = await this.pauseForStorage(trial, error);
    }
    const isModelSaved = result.kind === 'ended' && result.end.state === 'complete' && result.end.modelNotSaved === undefined;
    if (finished.state === 'complete' && job.saveModelTo && isModelSaved) await this.store.putArtifact(trial.id, 'weights', job.saveModelTo);
    this.afterTrial(finished);
  }

  /** A result that cannot be written pauses the sweep; the trial is failed `not stored` if it can be. */
  private async pauseForStorage(trial: Trial, error: TunebenchError): Promise<Trial> {
    this.failRun(error);
    const notStored = {
      state: 'failed' as const, value: null, bestEpoch: null, epochsRun: 0, endedAt: Date.now(),
      error: failureText.notStored, errorCode: 'NOT_STORED' as const, backend: null,
    };
    try {
      return await this.store.finishTrial(trial.id, notStored, []);
    } catch {
      return { ...trial, ...notStored }; // still running in the file: resume finds it stale
    }
  }

  /** A complete trial leaves its best epoch's weights in the store's artifact folder (for export). */
  private weightsJob(trial: Trial): Pick<TrialJob, 'saveModelTo' | 'checkpointBy'> {
    const root = this.store.artifactRoot;
    if (!root) return {};
    return { saveModelTo: join(root, `trial-${trial.id}`), checkpointBy: this.study.objective };
  }


  private afterTrial(trial: Trial): void {
    const { limits } = this.study.spec;
    if (trial.errorCode === 'DATASET_CHANGED') {
      // Not the parameters' fault: pause, and resume re-runs it once the file matches again.
      this.stopReason ??= { status: 'paused', reason: trial.error ?? 'dataset changed' };
    } else if (trial.state === 'failed') {
      if (shouldRetry(trial, limits.maxRetries)) this.retryQueue.push(trial);
      this.consecutiveFailures += 1;
      if (this.consecutiveFailures >= limits.maxConsecutiveFailures && !this.stopReason) {
        this.stopReason = {
          status: 'failed',
          reason: `${this.consecutiveFailures} trials failed in a row; the last: ${trial.error}`,
        };
      }
    } else if (trial.state !== 'cancelled') {
      this.consecutiveFailures = 0;
    }
    if (trial.retryOf === null) {
      const index = this.asked.findIndex((snapshot) => snapshot.number === trial.number);
      if (index >= 0) this.asked[index] = snapshotOf(trial);
    }
    if (trial.state === 'complete') this.strategy.tell?.(snapshotOf(trial), this.study.objective.direction);
    this.options.emit({ type: 'trial', trial });
    void this.store.summarizeStudy(this.study.id).then((study) => this.options.emit({ type: 'study', study }), () => {});
  }

  /** search.warmStart: TPE fits on a compatible old study's trials from its first ask. */
  private async warmStart(): Promise<void> {
    this.strategy = await studyStrategy(this.store, this.study.spec);
  }

  /** A resumed study's pruner judges new trials against the curves completed before. */
  private async replayCompletedCurves(trials: readonly Trial[]): Promise<void> {
    if (this.scheduler.name === 'none') return;
    const complete = trials.filter((trial) => trial.state === 'complete');
    if (complete.length === 0) return;
    const points = await this.store.getMetrics(complete.map((trial) => trial.id), [this.study.objective.metric]);
    for (const trial of complete) this.scheduler.complete(trial.id, curveOf(points.filter((p) => p.trialId === trial.id), this.study.objective.metric));
  }

  /** Trial heartbeats and the lease's, which also brings pause/cancel asked by other processes. */
  private async writeHeartbeats(): Promise<void> {
    const ids = [...this.beats];
    this.beats.clear();
    if (ids.length > 0) await this.store.heartbeat(ids, Date.now()).catch(() => {});
    let request: ControlRequest | null = null;
    try {
      request = await this.lease.renew();
    } catch (error) {
      // Taken over (we were stopped past the expiry): its new owner writes this study now.
      if (toPlainError(error).code === 'LEASE_HELD') this.failRun(error);
      return;
    }
    if (request === 'pause') this.pause();
    if (request === 'cancel') this.cancel();
  }
}

export function curveOf(points: readonly MetricPoint[], metric: string): number[] {
  const curve: number[] = [];
  for (const point of points) if (point.name === metric) curve[point.epoch] = point.value;
  return curve;
}

export function snapshotOf(trial: Trial): TrialSnapshot {
  return Object.freeze({ number: trial.number, params: Object.freeze({ ...trial.params }), state: trial.state, value: trial.value, epochsRun: trial.epochsRun });
}
