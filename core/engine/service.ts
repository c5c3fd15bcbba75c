import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ApiEvent, SpecCheck, TunebenchApi } from '../api/contract.js';
import { parseRequest } from '../api/dispatch.js';
import type { Study } from '../api/domain.js';
import { TunebenchError, toPlainError } from '../api/errors.js';
import type { StudySpec } from '../api/spec.js';
import { keepCsvByContent, listBuiltinDatasets, previewCsv, previewCsvFile } from '../data/index.js';
import { renderExport } from '../export/renderExport.js';
import { appVersion, dataHome } from '../paths.js';
import { parseSpecText, validateSpec } from '../space/parseSpec.js';
import type { Store } from '../store/store.js';
import { withTestMetrics } from '../store/testMetrics.js';
import { createForkSpawner } from './forkSpawner.js';
import { etaSeconds, historyOf } from './history.js';
import { checkSpecForRun, keepStudyDataset } from './prepareStudy.js';
import type { Spawner } from './spawner.js';
import type { StudyRunOutcome } from './studyRun.js';
import { StudyRun } from './studyRun.js';
import type { SlotOptions } from './workerSlot.js';

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
}

export interface TunebenchService extends TunebenchApi {
  /** Starts (or resumes) a study's run in this process and resolves when it stops. */
  run(study: Study, options?: { workers?: number }): Promise<StudyRunOutcome>;
  /** Resolves the study, for the CLI. */
  study(ref: number | string): Promise<Study>;
  close(): Promise<void>;
}

export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** Parses a spec given as YAML/JSON text or as an object; errors name the field. */
export function specFrom(input: string | Record<string, unknown>): StudySpec {
  return typeof input === 'string' ? parseSpecText(input) : validateSpec(input);
}

/** The service every transport calls: the CLI, Electron IPC and the web host. */
export function createTunebenchService(options: ServiceOptions): TunebenchService {
  const { store } = options;
  const spawner = options.spawner ?? createForkSpawner();
  const workDir = options.workDir ?? process.cwd();
  const datasetsDir = options.datasetsDir ?? join(dataHome(), 'datasets');
  const listeners = new Set<(event: ApiEvent) => void>();
  const runs = new Map<number, { run: StudyRun; done: Promise<StudyRunOutcome>; workers: number }>();
  const emit = (event: ApiEvent) => {
    for (const listener of listeners) listener(event);
  };

  async function uniqueName(wanted: string, isExplicit: boolean): Promise<string> {
    const taken = new Set((await store.listStudies()).map((study) => study.name));
    if (!taken.has(wanted)) return wanted;
    if (isExplicit) throw new TunebenchError('CONFLICT', `a study named "${wanted}" exists already; choose another --name`);
    for (let n = 2; ; n += 1) if (!taken.has(`${wanted}-${n}`)) return `${wanted}-${n}`;
  }

  async function createStudy(submitted: StudySpec, explicitName: string | undefined): Promise<Study> {
    const checked = await checkSpecForRun(submitted, workDir);
    const { spec, dataset } = await keepStudyDataset(checked, datasetsDir);
    await store.upsertDataset(dataset);
    const name = await uniqueName(explicitName ?? spec.name ?? `${dataset.name}-${spec.search.strategy}`, explicitName !== undefined);
    return store.createStudy({ name, spec, plannedTrials: checked.plannedTrials, dataset, appVersion: appVersion() });
  }

  function launch(study: Study, workers?: number): Promise<StudyRunOutcome> {
    const existing = runs.get(study.id);
    if (existing) return existing.done;
    const count = workers ?? study.spec.workers ?? options.workers ?? defaultWorkerCount();
    const run = new StudyRun({ store, spawner, study, workers: count, baseDir: workDir, emit, slot: options.slot });
    const done = run.run().finally(() => runs.delete(study.id));
    runs.set(study.id, { run, done, workers: count });
    done.catch(async (error: unknown) => {
      await store.setStudyStatus(study.id, 'failed', toPlainError(error).message).catch(() => {});
    });
    return done;
  }

  async function resumeStudy(study: Study, workers?: number): Promise<StudyRunOutcome> {
    if (!runs.has(study.id)) await store.recoverStale(study.id, Date.now());
    return launch(study, workers);
  }

  const service: TunebenchService = {
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
          const done = summary.counts.complete + summary.counts.failed + summary.counts.pruned;
          eta = etaSeconds(finished.rows.map((trial) => trial.durationMs ?? 0), study.plannedTrials - done, active.workers);
        }
        return {
          study: summary,
          dataset: await store.getDataset(study.datasetFingerprint),
          running: (active?.run.runningTrials() ?? []).map(({ trialId, number, epoch }) => ({ trialId, number, epoch, epochs: study.spec.epochs })),
          etaSeconds: eta,
        };
      },
      async create(req) {
        const { spec, name, start } = parseRequest('studies.create', req);
        const study = await createStudy(specFrom(spec), name);
        if (start) void launch(study).catch(() => {});
        else await store.setStudyStatus(study.id, 'paused', 'not started');
        return store.getStudy(study.id);
      },
      async rename(req) {
        const study = await store.getStudy(req.study);
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
        const copy = await createStudy(source.spec, req.name ?? (await uniqueName(`${source.name}-copy`, false)));
        await store.setStudyStatus(copy.id, 'paused', 'not started');
        return store.getStudy(copy.id);
      },
      async annotate(req) {
        const study = await store.getStudy(req.study);
        return store.updateStudy(study.id, { notes: req.notes, tags: req.tags });
      },
      async pause(req) {
        runs.get((await store.getStudy(req.study)).id)?.run.pause();
      },
      async cancel(req) {
        runs.get((await store.getStudy(req.study)).id)?.run.cancel();
      },
      async resume(req) {
        void resumeStudy(await store.getStudy(req.study)).catch(() => {});
      },
    },
    trials: {
      async page(req) {
        const { study: ref, valueMode, ...query } = parseRequest('trials.page', req);
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
        const { study: ref, valueMode } = parseRequest('trials.history', req);
        const study = await store.getStudy(ref);
        return historyOf(await store.historyRows(study.id, valueMode), study.objective.direction);
      },
      annotate: (req) => store.updateTrialNotes(req.trialId, { notes: req.notes, tags: req.tags }),
    },
    datasets: {
      list: async () => listBuiltinDatasets(),
      async previewCsv(req) {
        const { text, path, target, rows } = parseRequest('datasets.previewCsv', req);
        if (text !== undefined) return previewCsv(text, target, rows);
        if (path === undefined) throw new TunebenchError('ARGUMENT_INVALID', 'previewCsv needs the CSV text or a path');
        return previewCsvFile(path, target, rows);
      },
      async importCsv(req) {
        previewCsv(req.text, undefined, 1); // a malformed file is refused before anything is written
        return { path: await keepCsvByContent(Buffer.from(req.text, 'utf8'), req.fileName, datasetsDir) };
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
    },
    exports: {
      async render(req) {
        const { study: ref, format, top } = parseRequest('exports.render', req);
        return renderExport(store, await store.getStudy(ref), format, top);
      },
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    run: (study, runOptions) => resumeStudy(study, runOptions?.workers),
    study: (ref) => store.getStudy(ref),
    async close() {
      for (const { run } of runs.values()) run.cancel();
      await Promise.all([...runs.values()].map(({ done }) => done.catch(() => {})));
      await store.close();
    },
  };
  return service;
}
