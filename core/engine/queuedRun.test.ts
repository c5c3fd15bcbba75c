import { describe, expect, it } from 'vitest';
import type { StudySpecInput } from '../api/spec.js';
import { createFixtureStudy, fixtureSpawner } from '../../tests/support/engine.js';
import { useTempPostgres } from '../../tests/support/postgresStores.js';
import { anyWorker } from '../store/postgresWork.js';
import { createTunebenchService } from './service.js';

const pg = useTempPostgres();

const until = async (what: string, check: () => Promise<boolean>, ms = 60_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe("the dashboard's Resume on a PostgreSQL study", () => {
  it('owns the study through the shared queue: trials queued for any worker, the running list from the queue, Pause obeyed', async () => {
    const store = await pg.open();
    // 'slow' scripted trials: 200 ms an epoch, so some are running when we look.
    const study = await createFixtureStudy(store, { space: { optimizer: 'adam', learningRate: 0.4, batchSize: 8 }, search: { strategy: 'random', trials: 40, seed: 3 }, workers: 2 });
    await store.setStudyStatus(study.id, 'paused', 'paused by user');
    const service = createTunebenchService({ store, spawner: fixtureSpawner(), lease: { heartbeatMs: 200, ttlMs: 3_000 } });
    await service.studies.resume({ study: study.id });
    await until('a running trial in the dashboard', async () => (await service.studies.get({ study: study.id })).running.length > 0);
    const detail = await service.studies.get({ study: study.id });
    expect(detail.isRunningHere).toBe(true);
    expect((await store.getStudy(study.id)).status).toBe('running');
    const { rows } = await store.listTrials(study.id, { limit: 1000 });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((t) => t.worker === anyWorker || t.worker?.includes(`:${process.pid}-w`))).toBe(true);
    expect(rows.some((t) => t.state === 'queued' && t.worker === anyWorker)).toBe(true); // open to every machine

    await service.studies.pause({ study: study.id });
    await until('the pause', async () => (await store.getStudy(study.id)).status === 'paused' && !(await service.studies.get({ study: study.id })).isRunningHere, 30_000);
    expect((await store.summarizeStudy(study.id)).counts.running).toBe(0);
    await service.close();
  }, 90_000);

  it('re-runs (studies.rerun) go through the queue too: the planned seeds train unpruned as new trials', async () => {
    const store = await pg.open();
    const space: StudySpecInput['space'] = { optimizer: { choice: ['sgd', 'adam'] }, learningRate: { logUniform: [0.001, 0.2] }, batchSize: { choice: [8, 16] } };
    const pruner = { type: 'asha' as const, minEpochs: 1, reductionFactor: 2, noiseAware: false };
    const study = await createFixtureStudy(store, { space, search: { strategy: 'random', trials: 3, seed: 11 }, pruner, epochs: 4, workers: 1 });
    const service = createTunebenchService({ store, spawner: fixtureSpawner(), lease: { heartbeatMs: 200, ttlMs: 3_000 } });
    expect((await service.run(study)).status).toBe('done');
    const planned = await service.studies.rerun({ study: study.id, top: 1, seeds: 2, start: false });
    expect((await service.run(planned)).status).toBe('done');
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 1000 });
    const best = rows.slice(0, 3).filter((t) => t.state === 'complete').sort((a, b) => a.value! - b.value!)[0]!;
    expect(rows).toHaveLength(5);
    expect(rows.slice(3).map((t) => [t.params, t.state, t.epochsRun])).toEqual([[best.params, 'complete', 4], [best.params, 'complete', 4]]);
    expect(new Set(rows.map((t) => t.seed)).size).toBe(5);
    await service.close();
  }, 90_000);

  it('stops failed after K trials failed in a row, as a one-process run does', async () => {
    const store = await pg.open();
    // lr 0.8: the scripted trial throws, so every one fails.
    const study = await createFixtureStudy(store, { space: { optimizer: 'adam', learningRate: 0.8, batchSize: 8 }, search: { strategy: 'random', trials: 12, seed: 1 }, workers: 1, limits: { maxConsecutiveFailures: 3 } });
    const service = createTunebenchService({ store, spawner: fixtureSpawner(), lease: { heartbeatMs: 200, ttlMs: 3_000 } });
    const outcome = await service.run(study);
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^\d+ trials failed in a row; the last: fixture threw$/) });
    const { counts } = await store.summarizeStudy(study.id);
    expect(counts.failed).toBeLessThan(12);
    expect(counts.running).toBe(0);
    await service.close();
  }, 60_000);
});
