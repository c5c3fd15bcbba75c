import type { ApiEvent, TunebenchApi } from '../../core/api/contract.js';
import type { StudySummary, TrialState } from '../../core/api/domain.js';
import { trialStates } from '../../core/api/domain.js';
import { TunebenchError } from '../../core/api/errors.js';
import { validateSpec } from '../../core/space/parseSpec.js';

/**
 * A stand-in TunebenchApi for transport tests only (web host, Electron IPC): it records calls
 * and lets a test emit events. It is not the service; the engine's own tests cover that.
 */
export interface FakeApi {
  api: TunebenchApi;
  calls: { method: string; request: unknown }[];
  emit(event: ApiEvent): void;
  listenerCount(): number;
}

/** A complete summary (events are checked against the contract at the transport edge in tests). */
export function studySummary(id: number, name = `study-${id}`): StudySummary {
  const spec = validateSpec({ dataset: 'builtin:iris', space: { optimizer: 'adam', learningRate: 0.01, batchSize: 16 } });
  const counts = Object.fromEntries(trialStates.map((state) => [state, 0])) as Record<TrialState, number>;
  return {
    id,
    name,
    spec,
    objective: spec.objective,
    strategy: 'grid',
    status: 'running',
    statusReason: null,
    plannedTrials: 1,
    datasetFingerprint: 'f'.repeat(64),
    datasetName: 'iris',
    appVersion: 'test',
    notes: '',
    tags: [],
    createdAt: 0,
    updatedAt: 0,
    counts,
    bestValue: null,
    bestTrialNumber: null,
  };
}

export function createFakeApi(): FakeApi {
  const calls: { method: string; request: unknown }[] = [];
  const listeners = new Set<(event: ApiEvent) => void>();
  const record = <T>(method: string, result: (request: never) => T) => async (request: unknown) => {
    calls.push({ method, request });
    return result(request as never);
  };
  const notImplemented = (method: string) =>
    record(method, () => {
      throw new Error(`${method} is not faked`);
    });
  const api = {
    studies: {
      list: record('studies.list', () => [studySummary(1, 'iris')]),
      get: record('studies.get', (req: { study: number | string }) => {
        if (req.study === 404) throw new TunebenchError('NOT_FOUND', 'no study 404');
        if (req.study === 500) throw new Error('disk on fire');
        return { study: studySummary(Number(req.study)), dataset: null, running: [], etaSeconds: null };
      }),
      create: notImplemented('studies.create'),
      rename: notImplemented('studies.rename'),
      remove: record('studies.remove', () => undefined),
      duplicate: notImplemented('studies.duplicate'),
      annotate: notImplemented('studies.annotate'),
      pause: record('studies.pause', () => undefined),
      resume: record('studies.resume', () => undefined),
      cancel: record('studies.cancel', () => undefined),
      importance: notImplemented('studies.importance'),
    },
    trials: {
      page: record('trials.page', () => ({ total: 0, rows: [] })),
      curves: record('trials.curves', () => []),
      history: record('trials.history', () => []),
      annotate: notImplemented('trials.annotate'),
    },
    datasets: {
      list: record('datasets.list', () => []),
      previewCsv: notImplemented('datasets.previewCsv'),
      importCsv: record('datasets.importCsv', (req: { text: string; fileName: string }) => ({
        path: `/tmp/${req.fileName}#${req.text.length}`,
      })),
    },
    specs: { validate: record('specs.validate', () => ({ ok: true, issues: [], plannedTrials: 1 })) },
    exports: { render: notImplemented('exports.render') },
    system: { doctor: notImplemented('system.doctor') },
    onEvent(listener: (event: ApiEvent) => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  } as unknown as TunebenchApi;
  return {
    api,
    calls,
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
    listenerCount: () => listeners.size,
  };
}
