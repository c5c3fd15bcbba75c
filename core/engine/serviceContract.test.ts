// Every endpoint of the real service, on a real SQLite file, answers what its response schema
// says, through the same dispatcher the transports use; every event it pushes matches too.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import type { ApiEvent, ApiMethod, ApiResponse, CsvPreview, ExportResult, HistoryPoint, SpecCheck, StudyDetail, StudyImportance, TrialPage } from '../api/contract.js';
import { apiMethods } from '../api/contract.js';
import { createDispatcher } from '../api/dispatch.js';
import type { ColumnInfo, DatasetInfo, MetricPoint, Study, StudySummary, Trial } from '../api/domain.js';
import { apiEventSchema, responseSchemas } from '../api/responses.js';
import { fixturePath } from '../../tests/support/csvFixtures.js';
import { tempStore } from '../../tests/support/tempStore.js';
import type { TunebenchService } from './service.js';
import { createTunebenchService } from './service.js';

// Compile-time: each schema's output is its TS type both ways (`satisfies` in responses.ts checks
// one way), so a field, status or state added to either side fails `npm run typecheck`.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Output<M extends ApiMethod> = z.output<(typeof responseSchemas)[M]>;
const typesAgree: [
  Same<Output<'studies.create'>, Study>,
  Same<Output<'studies.list'>, StudySummary[]>,
  Same<Output<'studies.get'>, StudyDetail>,
  Same<Output<'trials.page'>, TrialPage>,
  Same<Output<'trials.get'>, Trial[]>,
  Same<Output<'trials.curves'>, MetricPoint[]>,
  Same<Output<'trials.history'>, HistoryPoint[]>,
  Same<Output<'datasets.list'>, DatasetInfo[]>,
  Same<Output<'datasets.list'>[number]['columns'][number], ColumnInfo>,
  Same<Output<'datasets.previewCsv'>, CsvPreview>,
  Same<Output<'specs.validate'>, SpecCheck>,
  Same<Output<'exports.render'>, ExportResult>,
  Same<z.output<typeof apiEventSchema>, ApiEvent>,
  Same<Output<'studies.importance'>, StudyImportance>,
] = [true, true, true, true, true, true, true, true, true, true, true, true, true, true];

const spec = {
  name: 'contract',
  dataset: 'builtin:iris',
  model: { type: 'mlp', hidden: [4] },
  objective: { metric: 'val_accuracy', direction: 'maximize' },
  epochs: 2,
  space: { optimizer: { choice: ['sgd', 'adam'] }, learningRate: 0.05, batchSize: 32 },
  workers: 1,
};

let env: Awaited<ReturnType<typeof tempStore>>;
let service: TunebenchService;
let dispatch: ReturnType<typeof createDispatcher>;
const events: ApiEvent[] = [];
const answered = new Set<ApiMethod>();

/** Calls through the dispatcher, as IPC and HTTP do, and parses the value with its schema. */
async function call<M extends ApiMethod>(method: M, request: unknown): Promise<Output<M>> {
  const response = (await dispatch(method, request)) as ApiResponse<unknown>;
  if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
  const parsed = responseSchemas[method].safeParse(response.value);
  expect(parsed.success ? [] : parsed.error.issues, method).toEqual([]);
  answered.add(method);
  return parsed.data as Output<M>;
}

beforeAll(async () => {
  env = await tempStore('tunebench-contract-');
  vi.stubEnv('TUNEBENCH_HOME', env.dir);
  service = createTunebenchService({ store: env.store, workDir: env.dir, workers: 1 });
  service.onEvent((event) => events.push(event));
  dispatch = createDispatcher(service);
}, 60_000);

afterAll(async () => {
  await service?.close();
  vi.unstubAllEnvs();
  await env?.cleanup();
});

describe('the service answers and pushes what the contract says', () => {
  it('every endpoint, on a real store with a real finished sweep', async () => {
    expect(typesAgree.every(Boolean)).toBe(true);
    const created = await call('studies.create', { spec, start: false });
    expect((await call('specs.validate', { text: JSON.stringify(spec) })).plannedTrials).toBe(2);
    expect((await call('specs.validate', { text: 'space: 3' })).ok).toBe(false);
    await call('studies.resume', { study: created.id });
    await service.run(created); // joins the run that resume started, and waits for its end
    const [summary] = await call('studies.list', {});
    expect(summary?.status).toBe('done');
    expect(summary?.counts.complete).toBe(2);
    await call('studies.get', { study: created.id });
    const page = await call('trials.page', { study: created.id });
    const ids = page.rows.map((trial) => trial.id);
    expect(ids).toHaveLength(2);
    expect((await call('trials.curves', { trialIds: ids })).length).toBeGreaterThan(0);
    await call('trials.get', { trialIds: ids });
    await call('trials.history', { study: created.id, valueMode: 'last' });
    const importance = await call('studies.importance', { study: created.id });
    expect(importance).toMatchObject({ method: 'ped-anova', trials: 2 });
    expect(importance.importance.map((entry) => entry.name)).toEqual(['optimizer']);
    await call('trials.annotate', { trialId: ids[0], notes: 'looked', tags: ['a'] });
    await call('studies.annotate', { study: created.id, notes: 'n', tags: ['t'] });
    await call('studies.rename', { study: created.id, name: 'contract-renamed' });
    const copy = await call('studies.duplicate', { study: created.id });
    await call('studies.resume', { study: copy.id }); // pause and cancel act on a running study only
    await call('studies.pause', { study: copy.id });
    await call('studies.cancel', { study: copy.id });
    for (const format of ['json', 'yaml', 'csv', 'ts', 'html'] as const) await call('exports.render', { study: created.id, format });
    await call('datasets.list', {});
    const csv = readFileSync(fixturePath('weather.csv'), 'utf8');
    await call('datasets.previewCsv', { text: csv, target: 'outlook' });
    expect((await call('datasets.importCsv', { text: csv, fileName: 'weather.csv' })).path.startsWith(env.dir)).toBe(true);
    await call('studies.remove', { study: copy.id });
    await call('system.doctor', { budgetMs: 20 });
    // A random study given one more trial, the grid's best planned for one re-run, a short range test.
    const random = await call('studies.create', { spec: { ...spec, search: { strategy: 'random', trials: 1 } }, name: 'contract-random', start: false });
    expect((await call('studies.extend', { study: random.id, trials: 1, start: false })).plannedTrials).toBe(2);
    expect((await call('studies.rerun', { study: created.id, top: 1, seeds: 1, start: false })).spec.reruns).toHaveLength(1);
    expect((await call('specs.lrFind', { text: JSON.stringify(spec), steps: 10 })).points.length).toBeGreaterThan(0);
    expect(apiMethods.filter((method) => !answered.has(method))).toEqual([]);
  }, 120_000);

  it('every event pushed during the sweep matches the event schema', () => {
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['study', 'trial', 'epoch']));
    for (const event of events) {
      const parsed = apiEventSchema.safeParse(event);
      expect(parsed.success ? [] : parsed.error.issues, event.type).toEqual([]);
    }
  });

  it('refuses a request that names a file path to preview, whatever the caller', async () => {
    const viaTransport = await dispatch('datasets.previewCsv', { path: '/etc/passwd' });
    expect(viaTransport).toMatchObject({ ok: false, error: { code: 'ARGUMENT_INVALID' } });
    expect(JSON.stringify(viaTransport)).not.toContain('root:');
    // Called directly, as the CLI does: the same check, in the same place.
    await expect(service.datasets.previewCsv({ path: '/etc/passwd' } as never)).rejects.toMatchObject({ code: 'ARGUMENT_INVALID' });
    await expect(service.trials.curves({ trialIds: [] })).rejects.toMatchObject({ code: 'ARGUMENT_INVALID', issues: [{ where: '/trialIds' }] });
    await expect(service.studies.rename({ study: 1, name: '' })).rejects.toMatchObject({ code: 'ARGUMENT_INVALID', issues: [{ where: '/name' }] });
    await expect(service.trials.page({ study: 1, limit: 0 })).rejects.toMatchObject({
      code: 'ARGUMENT_INVALID',
      issues: [{ where: '/limit' }],
    });
  });
});
