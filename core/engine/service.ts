import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism, hostname } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent, SpecCheck, TunebenchApi } from '../api/contract.js';
import type { Study, Trial } from '../api/domain.js';
import { finishedCount } from '../api/progress.js';
import { TunebenchError, toPlainError } from '../api/errors.js';
import type { ApiHandlers } from '../api/validated.js';
import { validateRequests } from '../api/validated.js';
import type { BackendName, StudySpec } from '../api/spec.js';
import { listBuiltinDatasets } from '../data/index.js';
import { createUploadScans } from './uploadScans.js';
import type { WriteExportOptions } from '../export/writeExportFile.js';
import { studyImportance } from '../importance/studyImportance.js';
import { appVersion, dataHome } from '../paths.js';
import { parseSpecText, validateSpec } from '../space/parseSpec.js';
import type { LeaseOwner, Store } from '../store/store.js';
import type { PostgresStore } from '../store/postgresStore.js';
import { withTestMetrics } from '../store/testMetrics.js';
import { followStore } from './changeFeed.js';
import { checkNotRunning, extendSpec } from './extendStudy.js';
import { rerunSources } from './rerunSources.js';
import { planReruns } from './reruns.js';
import { checkWarmStart } from '../strategies/warmStart.js';
import { doctorInWorker } from './doctorRun.js';
import { lrFindJob } from './lrFindJob.js';
import { lrFindInWorker } from './lrFindRun.js';
import { createForkSpawner } from './forkSpawner.js';
import { etaSeconds } from './history.js';
import { HistoryCache } from './historyRead.js';
import { defaultStudyName } from '../api/studyName.js';
import { checkSpecForRun, keepStudyDataset } from './prepareStudy.js';
import { defaultDatasetCacheDir, studyDatasetHere } from './studyDataset.js';
import type { Spawner } from './spawner.js';
import type { LeaseTiming } from './studyLease.js';
import type { StudyRunOutcome } from './studyRun.js';
import { StudyRun } from './studyRun.js';
import type { SlotOptions } from './workerSlot.js';
import { createWarmSpawner } from './warmSpawner.js';

export interface ServiceOptions {
  store: Store;
  spawner?: Spawner;
  /** Relative CSV paths in specs given without a folder (the app, the web host) resolve here. */
  workDir?: string;
  /** Where CSVs are kept by content (imports, and every CSV a study trains on). */
  datasetsDir?: string;
  /** Default worker count when the spec and the caller name none: cores - 1, at least 1. */
  workers?: number;
  slot?: Partial<SlotOptions>;
  lease?: Partial<LeaseTiming>;
  /** Poll the store for other processes' writes (the dashboard hosts); ms between polls. */
  followMs?: number;
  /** Keep trial workers warm between study runs (the app, serve); an idle one ends after idleMs. */
  warmWorkers?: { idleMs: number };
}

export interface TunebenchService extends TunebenchApi {
  /** Starts (or resumes) a study's run in this process and resolves when it stops. */
  run(study: Study, options?: { workers?: number; backend?: BackendName }): Promise<StudyRunOutcome>;
  /** Resolves the study, for the CLI. */
  study(ref: number | string): Promise<Study>;
  /** Writes the best trial's saved model and its preprocessing as a folder (CLI `export --format model`). */
  exportModel(ref: number | string, out: string, options: WriteExportOptions): Promise<{ path: string; trial: Trial; retrainedBecause: string | null }>;
  close(): Promise<void>;
  /** Where the web host streams uploaded CSVs (its upload route) for datasets.previewCsv/importCsv. */
  readonly uploadsDir: string;
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * Workers on one GPU when nobody chose a count. WebGPU cannot report free device memory, and one
 * tfjs-webgpu process already keeps the device busy; a second only time-slices it while holding a
 * second copy of the data and pool, so one worker is what surely fits.
 */
export const defaultGpuWorkers = 1;

/** Parses a spec given as YAML/JSON text or as an object; errors name the field. */
export function specFrom(input: string | Record<string, unknown>): StudySpec {
  return typeof input === 'string' ? parseSpecText(input) : validateSpec(input);
}

/** The service every transport calls: the CLI, Electron IPC and the web host. */
export function createTunebenchService(options: ServiceOptions): TunebenchService {
  const { store } = options;
  const warm = options.warmWorkers ? createWarmSpawner(options.spawner ?? createForkSpawner(), options.warmWorkers) : null;
  const spawner = warm ?? options.spawner ?? createForkSpawner();
  const workDir = options.workDir ?? process.cwd();
  const datasetsDir = options.datasetsDir ?? join(dataHome(), 'datasets');
  const listeners = new Set<(event: ApiEvent) => void>();
  const uploads = createUploadScans(datasetsDir);
  const owner: LeaseOwner = { ownerId: randomUUID(), host: hostname(), pid: process.pid };
  const runs = new Map<number, { run: Pick<StudyRun, 'pause' | 'cancel' | 'runningTrials'>; done: Promise<StudyRunOutcome>; workers: number }>();
  const historyCache = new HistoryCache(store);
  const emit = (event: ApiEvent) => {
    for (const listener of listeners) listener(event);
  };

  async function uniqueName(wanted: string, isExplicit: boolean): Promise<string> {
    const taken = new Set((await store.listStudies()).map((study) => study.name));
    if (!taken.has(wanted)) return wanted;
    if (isExplicit) throw new TunebenchError('CONFLICT', `a study named "${wanted}" exists already; choose another name`);
    for (let n = 2; ; n += 1) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
  }

  async function createStudy(submitted: StudySpec, explicitName: string | undefined): Promise<Study> {
    const checked = await checkSpecForRun(submitted, workDir);
    if (submitted.search.strategy === 'tpe' && submitted.search.warmStart !== undefined) checkWarmStart(await warmStartSource(submitted.search.warmStart), submitted);
    const { spec, dataset } = await keepStudyDataset(checked, datasetsDir);
    await store.upsertDataset(dataset);
    // A shared store keeps the CSV too (read from the copy kept by content), so workers on other machines train on these very bytes.
    if (checked.source && dataset.path && store.keepDatasetBytes) await store.keepDatasetBytes(dataset.fingerprint, await readFile(dataset.path));
    const name = await uniqueName(explicitName ?? spec.name ?? defaultStudyName(dataset.name, spec.search.strategy), explicitName !== undefined);
    return store.createStudy({ name, spec, plannedTrials: checked.plannedTrials, dataset, appVersion: appVersion() });
  }

  async function warmStartSource(ref: number | string): Promise<Study> {
    try {
      return await store.getStudy(ref);
    } catch (error) {
      if (toPlainError(error).code !== 'NOT_FOUND') throw error;
      throw new TunebenchError('ARGUMENT_INVALID', `search.warmStart: no study named or numbered "${ref}"`, [{ where: '/search/warmStart', message: 'no such study' }]);
    }
  }

  /** A stopped study given more trials (extend, rerun): stored, then run here when asked to. */
  async function grow(study: Study, spec: StudySpec, added: number, start: boolean): Promise<Study> {
    if (runs.has(study.id)) throw new TunebenchError('CONFLICT', `study ${study.name} is running here; add trials once it has stopped`);
    const grown = await store.updateStudy(study.id, { spec, plannedTrials: study.plannedTrials + added });
    if (start) await launch(grown);
    return store.getStudy(study.id);
  }

  /**
   * Starts the study here once its lease is ours: resolves with the run's end, or rejects at once
   * (LEASE_HELD, naming the owner) when another live process runs it.
   */
  async function launch(study: Study, workers?: number, backend?: BackendName): Promise<{ done: Promise<StudyRunOutcome> }> {
    const existing = runs.get(study.id);
    if (existing) return { done: existing.done };
    const chosen = workers ?? study.spec.workers ?? options.workers;
    const isGpuForced = (backend ?? study.spec.backend) === 'webgpu';
    const count = chosen ?? (isGpuForced ? defaultGpuWorkers : defaultWorkerCount());
    const gpuWorkers = chosen === undefined ? defaultGpuWorkers : undefined;
    const shared = await sharedStore();
    if (shared) return launchQueued(shared, study, count);
    const run = new StudyRun({
      store, spawner, study, workers: count, baseDir: workDir, emit, slot: options.slot, owner, lease: options.lease,
      ...(backend ? { backend } : {}), ...(gpuWorkers ? { gpuWorkers } : {}),
    });
    let isOwned = false;
    const acquired = run.acquire().then(() => {
      isOwned = true;
    });
    const done = acquired.then(() => run.run()).finally(() => runs.delete(study.id));
    runs.set(study.id, { run, done, workers: count });
    done.catch(async (error: unknown) => {
      // A refused lease is the caller's answer, not a fault of the study (its owner goes on).
      if (isOwned) await store.setStudyStatus(study.id, 'failed', toPlainError(error).message).catch(() => {});
    });
    await acquired;
    return { done };
  }

  /** A study of a shared store runs through its queue, so workers on other machines join in. */
  async function launchQueued(shared: PostgresStore, study: Study, count: number): Promise<{ done: Promise<StudyRunOutcome> }> {
    const { QueuedRun } = await import('./queuedRun.js');
    const existing = runs.get(study.id); // launched meanwhile, while the modules loaded
    if (existing) return { done: existing.done };
    const run = new QueuedRun(shared, study.id);
    const started = run.start({ store: shared, spawner, study, owner, slots: count, baseDir: workDir, ...(options.slot ? { slot: options.slot } : {}), ...(options.lease ? { lease: options.lease } : {}) });
    const done = started.then((owned) => owned.done).finally(() => runs.delete(study.id));
    runs.set(study.id, { run, done, workers: count });
    done.catch(() => {}); // the queue owner records its own failure; a refused lease reaches the caller below
    await started;
    return { done };
  }

  /** The store as a PostgresStore when it is one (the driver is loaded only then). */
  async function sharedStore(): Promise<PostgresStore | null> {
    if (!('session' in store)) return null;
    const { PostgresStore } = await import('../store/postgresStore.js');
    return store instanceof PostgresStore ? store : null;
  }

  async function resumeStudy(study: Study, workers?: number, backend?: BackendName): Promise<StudyRunOutcome> {
    return (await launch(study, workers, backend)).done;
  }

  /** Pause/cancel: obeyed here when the run is ours, else asked of the owner through the store. */
  async function control(ref: number | string, request: 'pause' | 'cancel'): Promise<void> {
    const study = await store.getStudy(ref);
    const local = runs.get(study.id);
    if (local) {
      if (request === 'pause') local.run.pause();
      else local.run.cancel();
      return;
    }
    if (study.owner) return store.requestControl(study.id, request);
    if (study.status === 'interrupted' && request === 'cancel') return store.setStudyStatus(study.id, 'cancelled', 'cancelled by user');
    throw new TunebenchError('CONFLICT', `study ${study.name} is ${study.status}, not running: nothing to ${request}`);
  }

  const handlers: ApiHandlers = {
    studies: {
      list: () => store.listStudies(),
      async get(req) {
        const study = await store.getStudy(req.study);
        const summary = await store.summarizeStudy(study.id);
        const active = runs.get(study.id);
        let eta: number | null = null;
        if (active) {
          // Only a study running here has an ETA; the recent finished trials give its pace.
          const finished = await store.listTrials(study.id, { states: ['complete'], sort: 'number', limit: 200, descending: true });
          const done = finishedCount(summary.counts);
          eta = etaSeconds(finished.rows.map((trial) => trial.durationMs ?? 0), study.plannedTrials - done, active.workers);
        }
        return {
          study: summary,
          dataset: await store.getDataset(study.datasetFingerprint),
          running: (active?.run.runningTrials() ?? []).map(({ trialId, number, epoch }) => ({ trialId, number, epoch, epochs: study.spec.epochs })),
          etaSeconds: eta,
          isRunningHere: active !== undefined,
        };
      },
      async create(req) {
        const { spec, name, start } = req;
        const study = await createStudy(specFrom(spec), name);
        if (start) await launch(study);
        else await store.setStudyStatus(study.id, 'paused', 'not started');
        return store.getStudy(study.id);
      },
      importance: async (req) => studyImportance(store, await store.getStudy(req.study)),
      async rename(req) {
        const study = await store.getStudy(req.study);
        if (study.name === req.name) return study;
        return store.updateStudy(study.id, { name: await uniqueName(req.name, true) });
      },
      async remove(req) {
        const study = await store.getStudy(req.study);
        const active = runs.get(study.id);
        if (active) {
          active.run.cancel();
          await active.done.catch(() => {});
        }
        await store.deleteStudy(study.id);
      },
      async duplicate(req) {
        const source = await store.getStudy(req.study);
        const { reruns: _reruns, ...spec } = source.spec; // re-runs name the source's trials, not the copy's
        const copy = await createStudy(spec, req.name ?? (await uniqueName(`${source.name}-copy`, false)));
        await store.setStudyStatus(copy.id, 'paused', 'not started');
        return store.getStudy(copy.id);
      },
      async annotate(req) {
        const study = await store.getStudy(req.study);
        return store.updateStudy(study.id, { notes: req.notes, tags: req.tags });
      },
      pause: (req) => control(req.study, 'pause'),
      cancel: (req) => control(req.study, 'cancel'),
      async extend(req) {
        const study = await store.getStudy(req.study);
        checkNotRunning(study, 'extend');
        return grow(study, extendSpec(study, req.trials), req.trials, req.start);
      },
      async rerun(req) {
        const study = await store.getStudy(req.study);
        checkNotRunning(study, 're-run');
        const sources = await rerunSources(store, study, req);
        const { spec, added } = planReruns(study, sources, req.seeds);
        return grow(study, spec, added, req.start);
      },
      async resume(req) {
        await launch(await store.getStudy(req.study)); // a refusal (LEASE_HELD) reaches the caller
      },
    },
    trials: {
      async page(req) {
        const { study: ref, valueMode, ...query } = req;
        const study = await store.getStudy(ref);
        const page = await store.listTrials(study.id, { ...query, valueAt: valueMode });
        return study.spec.testSplit === undefined ? page : { ...page, rows: await withTestMetrics(store, page.rows) };
      },
      curves: (req) => store.getMetrics(req.trialIds, req.names),
      async get(req) {
        const found = await Promise.all(req.trialIds.map((id) => store.getTrial(id).catch(() => null)));
        return found.filter((trial) => trial !== null);
      },
      async history(req) {
        const { study: ref, valueMode, columns } = req;
        const study = await store.getStudy(ref);
        return historyCache.read(study, valueMode, columns, runs.has(study.id));
      },
      annotate: (req) => store.updateTrialNotes(req.trialId, { notes: req.notes, tags: req.tags }),
    },
    datasets: {
      list: async () => listBuiltinDatasets(),
      // Text (Electron's dialog) and uploads (the web host) are both scanned in a worker thread.
      async previewCsv(req) {
        return uploads.preview(req.upload ?? (await uploads.fromText(req.text ?? '')), req.target, req.rows);
      },
      async importCsv(req) {
        return { path: await uploads.keep(req.upload ?? (await uploads.fromText(req.text ?? '')), req.fileName) };
      },
    },
    specs: {
      async validate(req): Promise<SpecCheck> {
        try {
          const checked = await checkSpecForRun(parseSpecText(req.text), workDir);
          return { ok: true, issues: [], plannedTrials: checked.plannedTrials, notes: checked.notes };
        } catch (error) {
          const plain = toPlainError(error);
          const issues = plain.issues.length > 0 ? plain.issues : [{ where: '/', message: plain.message }];
          return { ok: false, issues, plannedTrials: null };
        }
      },
      async lrFind(req) {
        const { text, ...range } = req;
        const checked = await checkSpecForRun(parseSpecText(text), workDir);
        return lrFindInWorker(spawner, lrFindJob(checked.spec, checked.dataset.info.fingerprint, workDir, range));
      },
    },
    exports: {
      async render(req) {
        // Loaded on demand: the TS export pulls in tfjs, which would slow every CLI start.
        const { renderExport } = await import('../export/renderExport.js');
        return renderExport(store, await store.getStudy(req.study), req.format, req.top);
      },
    },
    system: {
      async doctor(req) {
        return doctorInWorker(spawner, req.budgetMs);
      },
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const stopFollowing = options.followMs === undefined ? () => {} : followStore(store, emit, { intervalMs: options.followMs, isOwnedHere: (studyId) => runs.has(studyId) });
  // Every entry, whoever calls it (IPC, HTTP, the CLI), validates its request in this one wrapper.
  return {
    ...validateRequests(handlers),
    run: (study, runOptions) => resumeStudy(study, runOptions?.workers, runOptions?.backend),
    study: (ref) => store.getStudy(ref),
    uploadsDir: uploads.dir,
    async exportModel(ref, out, target) {
      // Loaded on demand, as renderExport: tfjs would slow every CLI start.
      const { exportModel } = await import('../export/modelExport.js');
      const study = await store.getStudy(ref);
      // On another machine than the study's, its CSV comes from the shared store by fingerprint.
      const dataset = await studyDatasetHere(store, study, workDir, defaultDatasetCacheDir());
      const datasetPath = typeof dataset === 'string' || dataset === study.spec.dataset ? {} : { datasetPath: dataset.csv };
      return exportModel(store, study, out, { ...target, baseDir: workDir, ...datasetPath });
    },
    async close() {
      stopFollowing();
      for (const { run } of runs.values()) run.cancel();
      await Promise.all([...runs.values()].map(({ done }) => done.catch(() => {})));
      await warm?.close();
      await store.close();
    },
  };
}
