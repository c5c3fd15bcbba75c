import { describe, expect, it } from 'vitest';
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
});
