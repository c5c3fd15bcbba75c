import { hostname } from 'node:os';
import type { MetricPoint, Study, Trial } from '../api/domain.js';
import { TunebenchError, toPlainError } from '../api/errors.js';
import { createScheduler } from '../schedulers/createScheduler.js';
import type { PostgresStore } from '../store/postgresStore.js';
import type { TrialResult } from '../store/store.js';
import { claimTrial, queueTrial, openTrialCount, requeueStale, studiesWithRunningTrials } from '../store/postgresWork.js';
import type { TrialJob } from '../training/protocol.js';
import type { DatasetRef } from '../api/spec.js';
import { defaultDatasetCacheDir, studyDatasetHere } from './studyDataset.js';
import { MetricWriter } from './metricWriter.js';
import { retriesAfter, shouldRetry } from './retryPolicy.js';
import type { Spawner } from './spawner.js';
import { HeldOutTestMetrics } from './testMetrics.js';
import { trialVerdict } from './trialVerdict.js';
import { rerunTrialIds } from './reruns.js';
import { WorkerSlot, type SlotOptions } from './workerSlot.js';
import { curveOf } from './studyRun.js';

/**
 * `tunebench worker`: trains trials queued in a shared PostgreSQL store, on this machine.
 *
 * The flow across machines (one study owner asks; any worker trains):
 * - The owner (`tunebench sweep` on the shared store) holds the study's lease, asks the strategy
 *   from the shared history (every machine's trials, running ones included) and inserts trials as
 *   `queued`. It never runs them itself but through its own worker loop, which is this one.
 * - Each worker slot claims one queued trial at a time (claimTrial: FOR UPDATE SKIP LOCKED), marks
 *   it running, trains it in a WorkerSlot process, writes epochs (MetricWriter) and heartbeats,
 *   and writes the final state with finishTrial. The pruner is rebuilt per trial from the curves
 *   completed by every worker, so it judges against the whole study.
 * - Between claims every worker re-queues running trials whose heartbeat is older than
 *   `staleAfterMs` (a dead or cut-off machine), once, counted against maxRetries (requeueStale).
 *   A worker whose trial was taken away meanwhile gets CONFLICT on its late writes and drops it.
 * - Once a study's time budget (limits.maxMinutes, on the server's clock) is spent, claimTrial
 *   gives none of its trials; the owner cancels what is left queued (QueueBudget in queueOwner.ts).
 * - A lost server makes every store call retry with back-off (PgSession); nothing finished is lost
 *   because a trial's final state is one transaction.
 */
export interface RemoteWorkerOptions {
  store: PostgresStore;
  spawner: Spawner;
  /** Only this study's trials; null: any running study's. */
  studyId: number | null;
  slots: number;
  /** Relative CSV paths resolve against this. */
  baseDir: string;
  /** Where CSVs fetched from the database by fingerprint are kept (default defaultDatasetCacheDir()). */
  cacheDir?: string;
  /** Stop when no trial is queued or running (else wait for more). */
  exitWhenIdle: boolean;
  staleAfterMs?: number;
  pollMs?: number;
  heartbeatMs?: number;
  slot?: Partial<SlotOptions>;
  log?: (line: string) => void;
  /** Set to stop claiming; running trials finish. */
  signal?: AbortSignal;
}

const defaultSlot: SlotOptions = { heartbeatGraceMs: 30_000, readyTimeoutMs: 60_000, killGraceMs: 2_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runRemoteWorker(options: RemoteWorkerOptions): Promise<{ trialsRun: number }> {
  const { store } = options;
  const name = `${hostname()}:${process.pid}`;
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const beats = new Set<number>();
  const metrics = new MetricWriter(store, 250, (error) => options.log?.(`metrics not written: ${toPlainError(error).message}`));
  const studies = new Map<number, Study>();
  const studyOf = async (id: number) => studies.get(id) ?? studies.set(id, await store.getStudy(id)).get(id)!;
  let trialsRun = 0;
  // Each study's dataset is found (or fetched and checked) once per worker, not per trial.
  const datasets = new Map<number, Promise<DatasetRef>>();
  const datasetOf = (study: Study) => {
    let found = datasets.get(study.id);
    if (!found) datasets.set(study.id, (found = studyDatasetHere(store, study, options.baseDir, options.cacheDir ?? defaultDatasetCacheDir())));
    return found;
  };

  const heartbeat = setInterval(() => {
    const ids = [...beats];
    if (ids.length > 0) void store.heartbeat(ids, Date.now()).catch(() => undefined);
  }, options.heartbeatMs ?? 2_000);

  const reap = async () => {
    for (const id of await studiesWithRunningTrials(store, options.studyId)) {
      const study = await studyOf(id);
      const { requeued } = await requeueStale(store, id, Date.now() - staleAfterMs, Date.now(), study.spec.limits.maxRetries);
      for (const trial of requeued) options.log?.(`re-queued trial ${trial.number} of ${study.name} (its worker stopped beating)`);
    }
  };

  const runOne = async (slot: WorkerSlot, trial: Trial) => {
    // Read per trial: extend and rerun change a study's spec while workers serve it.
    const study = await store.getStudy(trial.studyId);
    studies.set(study.id, study);
    const { spec } = study;
    beats.add(trial.id);
    options.log?.(`claimed trial ${trial.id} (number ${trial.number} of ${study.name})`);
    const scheduler = createScheduler(spec);
    // A planned re-run trains every epoch: pruning it would bias the seed statistics it is run for.
    const isRerun = (spec.reruns?.length ?? 0) > 0 && rerunTrialIds(spec, (await store.listTrials(study.id, { limit: Number.MAX_SAFE_INTEGER })).rows).has(trial.id);
    const isPrunable = scheduler.name !== 'none' && !isRerun;
    if (isPrunable) {
      const { rows } = await store.listTrials(study.id, { states: ['complete'] });
      const points = await store.getMetrics(rows.map((t) => t.id), [study.objective.metric]);
      for (const done of rows) scheduler.complete(done.id, curveOf(points.filter((p) => p.trialId === done.id), study.objective.metric));
    }
    let dataset: DatasetRef;
    try {
      dataset = await datasetOf(study);
    } catch (error) {
      datasets.delete(study.id); // fixed data is looked for again after a resume
      beats.delete(trial.id);
      const { message } = toPlainError(error);
      await recordEnd(trial, study, { state: 'failed', value: null, bestEpoch: null, epochsRun: 0, endedAt: Date.now(), error: message, errorCode: 'DATASET_CHANGED', backend: null });
      return;
    }
    const points: MetricPoint[] = [];
    const testMetrics = new HeldOutTestMetrics();
    let isPruning = false;
    let backend: string | null = slot.backend;
    const job: TrialJob = {
      trialId: trial.id, number: trial.number, params: trial.params, seed: trial.seed, dataset,
      baseDir: options.baseDir, datasetFingerprint: study.datasetFingerprint, model: spec.model, epochs: spec.epochs,
      validationSplit: spec.validationSplit, ...(spec.testSplit === undefined ? {} : { testSplit: spec.testSplit }), splitSeed: spec.seed,
      awaitsVerdict: isPrunable,
    };
    const result = await slot.run(job, {
      onStarted: (used) => {
        backend = used;
      },
      onEpoch: (report) => {
        const epochPoints = testMetrics.hold(trial.id, report.epoch, report.metrics);
        points.push(...epochPoints);
        metrics.add(epochPoints);
        const objective = report.metrics[study.objective.metric];
        if (isPrunable && !isPruning && objective !== undefined && Number.isFinite(objective) && scheduler.report(trial.id, report.epoch, objective)) {
          isPruning = true;
          return true;
        }
        return false;
      },
      onHeartbeat: () => beats.add(trial.id),
    }, spec.limits.trialTimeoutSeconds * 1000);
    beats.delete(trial.id);
    const outcome = trialVerdict(result, points, { number: trial.number, ...study.objective, isPruning, isCancelling: false, endedAt: Date.now() });
    const lastPoints = [...metrics.take(trial.id), ...testMetrics.atEpoch(outcome.state === 'complete' ? outcome.bestEpoch : null)];
    await recordEnd(trial, study, { ...outcome, backend, backendNote: slot.backendNote, adapter: slot.adapter }, lastPoints);
  };

  /** Writes a trial's end; a failure worth another attempt is queued again, a data fault pauses the study. */
  async function recordEnd(trial: Trial, study: Study, result: TrialResult, lastPoints: readonly MetricPoint[] = []) {
    try {
      const finished = await store.finishTrial(trial.id, result, lastPoints);
      trialsRun += 1;
      if (finished.errorCode === 'DATASET_CHANGED') {
        // The study's data, not the parameters: every worker stops claiming (the study is paused)
        // and resume re-runs the trial once the data matches, as a one-machine run does.
        options.log?.(`trial ${trial.number} of ${study.name}: ${finished.error}`);
        await store.setStudyStatus(study.id, 'paused', finished.error);
      } else if (finished.state === 'failed' && finished.errorCode !== 'STALE' && shouldRetry(finished, study.spec.limits.maxRetries)) {
        await queueTrial(store, study.id, finished.params, finished.seed, retriesAfter(finished), finished.id);
      }
    } catch (error) {
      // Re-queued as stale while we were cut off: its new attempt is someone else's now.
      if (error instanceof TunebenchError && error.code === 'CONFLICT') options.log?.(`trial ${trial.number} of ${study.name} was taken over; result dropped`);
      else throw error;
    }
  }

  const lane = async (index: number) => {
    const slot = new WorkerSlot(options.spawner, `${name}-w${index}`, { ...defaultSlot, ...options.slot });
    try {
      while (!options.signal?.aborted) {
        await reap();
        const trial = await claimTrial(store, slot.id, Date.now(), options.studyId);
        if (trial) {
          await runOne(slot, trial);
          continue;
        }
        if (options.exitWhenIdle && (await openTrialCount(store, options.studyId)) === 0) return;
        await sleep(options.pollMs ?? 500);
      }
    } finally {
      await slot.shutdown();
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.max(1, options.slots) }, (_, i) => lane(i)));
  } finally {
    clearInterval(heartbeat);
    await metrics.flush();
  }
  return { trialsRun };
}
