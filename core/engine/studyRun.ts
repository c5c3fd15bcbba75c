import type { ApiEvent } from '../api/contract.js';
import type { MetricPoint, Study, StudyStatus, Trial } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import { createScheduler } from '../schedulers/createScheduler.js';
import type { Scheduler } from '../schedulers/scheduler.js';
import { createStrategy } from '../strategies/createStrategy.js';
import type { Strategy, TrialSnapshot } from '../strategies/strategy.js';
import type { Store, TrialResult } from '../store/store.js';
import type { TrialJob } from '../training/protocol.js';
import { MetricWriter } from './metricWriter.js';
import { objectiveOf, trialSeed } from './objective.js';
import { failureText, planRetries, shouldRetry } from './retryPolicy.js';
import type { Spawner } from './spawner.js';
import type { RunResult, SlotOptions } from './workerSlot.js';
import { WorkerSlot } from './workerSlot.js';

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
  private readonly strategy: Strategy;
  private readonly scheduler: Scheduler;
  /** Trials the scheduler asked to stop: their stop ends them pruned, not cancelled. */
  private readonly pruning = new Set<number>();
  private readonly metrics: MetricWriter;
  private readonly asked: TrialSnapshot[] = [];
  private retryQueue: Trial[] = [];
  private readonly running = new Map<number, Omit<RunningTrial, 'pid'> & { slot: WorkerSlot }>();
  private readonly beats = new Set<number>();
  private nextLock: Promise<unknown> = Promise.resolve();
  private stopReason: { status: StudyStatus; reason: string } | null = null;
  private consecutiveFailures = 0;
  private exhausted = false;
  private slots: WorkerSlot[] = [];

  constructor(private readonly options: StudyRunOptions) {
    this.store = options.store;
    this.strategy = createStrategy(options.study.spec);
    this.scheduler = createScheduler(options.study.spec);
    this.metrics = new MetricWriter(this.store, 250);
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
  cancel(): void {
    this.stopReason = { status: 'paused', reason: failureText.cancelled };
    const grace = this.options.cancelGraceMs ?? 5_000;
    for (const { trialId, slot } of this.running.values()) {
      slot.requestStop(trialId);
      setTimeout(() => slot.abort(trialId), grace).unref();
    }
  }

  async run(): Promise<StudyRunOutcome> {
    const { study } = this.options;
    await this.store.setStudyStatus(study.id, 'running', null);
    const { rows } = await this.store.listTrials(study.id, { sort: 'number', limit: Number.MAX_SAFE_INTEGER });
    for (const trial of rows) if (trial.retries === 0) this.asked.push(snapshotOf(trial));
    this.retryQueue = planRetries(rows, study.spec.limits.maxRetries);
    await this.replayCompletedCurves(rows);

    const slotOptions = { ...defaultSlot, ...this.options.slot };
    this.slots = Array.from({ length: Math.max(1, this.options.workers) }, (_, i) =>
      new WorkerSlot(this.options.spawner, `s${study.id}-w${i}`, slotOptions),
    );
    const heartbeat = setInterval(() => void this.writeHeartbeats(), 2_000);
    try {
      // A lane that fails (a store write) stops the others; all settle before the workers go.
      const lanes = await Promise.allSettled(this.slots.map((slot) => this.lane(slot)));
      const failed = lanes.find((lane) => lane.status === 'rejected');
      if (failed) throw failed.reason;
    } finally {
      clearInterval(heartbeat);
      await this.metrics.flush();
      await Promise.all(this.slots.map((slot) => slot.shutdown()));
    }
    const outcome: StudyRunOutcome = this.stopReason ?? { status: 'done', reason: null };
    await this.store.setStudyStatus(study.id, outcome.status, outcome.reason);
    this.options.emit({ type: 'study', study: await this.store.summarizeStudy(study.id) });
    return outcome;
  }

  private async lane(slot: WorkerSlot): Promise<void> {
    try {
      while (!this.stopReason) {
        const trial = await this.nextTrial();
        if (!trial) return;
        await this.runTrial(slot, trial);
      }
    } catch (error) {
      this.stopReason ??= { status: 'paused', reason: error instanceof Error ? error.message : String(error) };
      throw error;
    }
  }

  /** Serialised: numbers are handed out one at a time, in the strategy's order. */
  private nextTrial(): Promise<Trial | null> {
    const next = this.nextLock.then(async () => {
      if (this.stopReason) return null;
      const retry = this.retryQueue.shift();
      if (retry) return this.store.createTrial(this.study.id, retry.params, retry.seed, retry.retries + 1);
      if (this.exhausted) return null;
      const params = this.strategy.ask(this.asked);
      if (!params) {
        this.exhausted = true;
        return null;
      }
      const trial = await this.store.createTrial(this.study.id, params, trialSeed(this.study.spec.seed, this.asked.length), 0);
      this.asked.push(snapshotOf(trial));
      return trial;
    });
    this.nextLock = next.catch(() => undefined);
    return next;
  }

  private async runTrial(slot: WorkerSlot, trial: Trial): Promise<void> {
    const { spec } = this.study;
    const startedAt = Date.now();
    await this.store.markTrialRunning(trial.id, slot.id, startedAt);
    const entry = { trialId: trial.id, number: trial.number, epoch: -1, worker: slot.id, slot };
    this.running.set(trial.id, entry);
    this.options.emit({ type: 'trial', trial: { ...trial, state: 'running', startedAt, worker: slot.id } });

    const points: MetricPoint[] = [];
    let backend: string | null = slot.backend;
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
      splitSeed: spec.seed,
    };
    const result = await slot.run(
      job,
      {
        onStarted: (name) => {
          backend = name;
        },
        onEpoch: (report) => {
          entry.epoch = report.epoch;
          const epochPoints = Object.entries(report.metrics).map(([name, value]) => ({
            trialId: trial.id,
            epoch: report.epoch,
            name,
            value,
          }));
          points.push(...epochPoints);
          this.metrics.add(epochPoints);
          this.options.emit({ type: 'epoch', trialId: trial.id, studyId: this.study.id, epoch: report.epoch, metrics: report.metrics });
          const objective = report.metrics[this.study.objective.metric];
          if (objective !== undefined && Number.isFinite(objective) && this.scheduler.report(trial.id, report.epoch, objective) && !this.pruning.has(trial.id)) {
            this.pruning.add(trial.id);
            slot.requestStop(trial.id);
          }
        },
        onHeartbeat: () => this.beats.add(trial.id),
      },
      spec.limits.trialTimeoutSeconds * 1000,
    );
    this.running.delete(trial.id);
    this.beats.delete(trial.id);

    const outcome = this.judge(result, points, trial);
    if (outcome.state === 'complete') this.scheduler.complete(trial.id, curveOf(points, this.study.objective.metric));
    this.pruning.delete(trial.id);
    let finished: Trial;
    try {
      finished = await this.store.finishTrial(trial.id, { ...outcome, backend, backendNote: slot.backendNote }, this.metrics.take(trial.id));
    } catch (error) {
      if (!(error instanceof TunebenchError && error.code === 'STORE_IO')) throw error;
      finished = await this.pauseForStorage(trial, error);
    }
    this.afterTrial(finished);
  }

  /** A result that cannot be written pauses the sweep; the trial is failed `not stored` if it can be. */
  private async pauseForStorage(trial: Trial, error: TunebenchError): Promise<Trial> {
    this.stopReason ??= { status: 'paused', reason: error.message };
    const notStored = { state: 'failed' as const, value: null, bestEpoch: null, epochsRun: 0, endedAt: Date.now(), error: failureText.notStored, backend: null };
    try {
      return await this.store.finishTrial(trial.id, notStored, []);
    } catch {
      return { ...trial, ...notStored }; // still running in the file: resume finds it stale
    }
  }

  private judge(result: RunResult, points: MetricPoint[], trial: Trial): Omit<TrialResult, 'backend'> {
    const endedAt = Date.now();
    const epochsRun = new Set(points.map((point) => point.epoch)).size;
    const failed = (error: string) => ({ state: 'failed' as const, value: null, bestEpoch: null, epochsRun, endedAt, error });
    switch (result.kind) {
      case 'crashed':
        return failed(result.detail);
      case 'timeout':
        return failed(failureText.timeout);
      case 'lost':
        return failed(failureText.heartbeatLost);
      case 'ended':
        break;
    }
    const end = result.end;
    if (end.state === 'failed') return failed(end.reason === 'diverged' ? `diverged: ${end.error}` : end.error);
    if (end.state === 'stopped' && this.pruning.has(trial.id)) {
      return { state: 'pruned', value: null, bestEpoch: null, epochsRun: end.epochsRun, endedAt, error: null };
    }
    if (end.state === 'stopped') return failed(failureText.cancelled);
    const { metric, direction } = this.study.objective;
    const { value, bestEpoch } = objectiveOf(points, metric, direction);
    // Stricter than Optuna: a NaN, Inf or missing objective never counts as complete.
    if (value === null) return failed(`objective ${metric} is not a finite number (trial ${trial.number})`);
    return { state: 'complete', value, bestEpoch, epochsRun: end.epochsRun, endedAt, error: null };
  }

  private afterTrial(trial: Trial): void {
    const { limits } = this.study.spec;
    if (trial.state === 'failed') {
      if (shouldRetry(trial, limits.maxRetries) && trial.error !== failureText.cancelled) {
        this.retryQueue.push(trial);
      }
      if (trial.error !== failureText.cancelled) this.consecutiveFailures += 1;
      if (this.consecutiveFailures >= limits.maxConsecutiveFailures && !this.stopReason) {
        this.stopReason = {
          status: 'failed',
          reason: `${this.consecutiveFailures} trials failed in a row; the last: ${trial.error}`,
        };
      }
    } else {
      this.consecutiveFailures = 0;
    }
    if (trial.retries === 0) {
      const index = this.asked.findIndex((snapshot) => snapshot.number === trial.number);
      if (index >= 0) this.asked[index] = snapshotOf(trial);
    }
    if (trial.state === 'complete') this.strategy.tell?.(snapshotOf(trial), this.study.objective.direction);
    this.options.emit({ type: 'trial', trial });
    void this.store.summarizeStudy(this.study.id).then((study) => this.options.emit({ type: 'study', study }), () => {});
  }

  /** A resumed study's pruner judges new trials against the curves completed before. */
  private async replayCompletedCurves(trials: readonly Trial[]): Promise<void> {
    if (this.scheduler.name === 'none') return;
    const complete = trials.filter((trial) => trial.state === 'complete');
    if (complete.length === 0) return;
    const points = await this.store.getMetrics(complete.map((trial) => trial.id), [this.study.objective.metric]);
    for (const trial of complete) this.scheduler.complete(trial.id, curveOf(points.filter((p) => p.trialId === trial.id), this.study.objective.metric));
  }

  private async writeHeartbeats(): Promise<void> {
    const ids = [...this.beats];
    this.beats.clear();
    if (ids.length > 0) await this.store.heartbeat(ids, Date.now()).catch(() => {});
  }
}

function curveOf(points: readonly MetricPoint[], metric: string): number[] {
  const curve: number[] = [];
  for (const point of points) if (point.name === metric) curve[point.epoch] = point.value;
  return curve;
}

function snapshotOf(trial: Trial): TrialSnapshot {
  return Object.freeze({ number: trial.number, params: Object.freeze({ ...trial.params }), state: trial.state, value: trial.value });
}
