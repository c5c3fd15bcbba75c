import { describe, expect, it } from 'vitest';
import { createFixtureStudy, fixtureSpawner } from '../../tests/support/engine.js';
import { usePgWorkerProcesses } from '../../tests/support/pgWorkerProcesses.js';
import { useTempPostgres } from '../../tests/support/postgresStores.js';
import type { PostgresStore } from '../store/postgresStore.js';
import { createTunebenchService } from './service.js';

const pg = useTempPostgres();
/** A `tunebench worker` on "another machine": its own process group, one slot. */
const startWorker = usePgWorkerProcesses();

/** Epoch ms on the database server's clock, the one the budget is measured on. */
const serverNow = (store: PostgresStore) => store.session.read(async (q) => (await q.one<{ ms: number }>('SELECT (extract(epoch FROM now()) * 1000)::float8 AS ms', {}))!.ms);
const budgetEnd = (store: PostgresStore, studyId: number) => store.session.read(async (q) => (await q.one<{ ends: number }>('SELECT budget_ends_at AS ends FROM study WHERE id = @studyId', { studyId }))!.ends);

describe('limits.maxMinutes on a PostgreSQL study (the shared queue)', () => {
  it('the owner and a worker start no trial after the budget (server clock); running ones finish, the rest is cancelled, the study ends done as a local run does; resume grants a fresh budget', async () => {
    const store = await pg.open();
    // 6 s, long enough for the first claims on a loaded box; 'slow' trials (lr 0.4) take 5 epochs
    // of 200 ms, so 30 of them on two workers need far longer.
    const minutes = 0.1;
    const study = await createFixtureStudy(store, {
      epochs: 5,
      space: { optimizer: 'sgd', learningRate: 0.4, batchSize: { choice: [8, 16, 32] } },
      search: { strategy: 'random', trials: 30, seed: 1 },
      limits: { maxMinutes: minutes },
      workers: 1,
    });
    const service = createTunebenchService({ store, spawner: fixtureSpawner(), lease: { heartbeatMs: 200, ttlMs: 3_000 } });
    const before = await serverNow(store);
    const run = service.run(study);
    // The second worker joins once the owner has queued trials (it exits when none is left open).
    while ((await store.listTrials(study.id, { states: ['queued'] })).rows.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const worker = startWorker(store.session.url, study.id, 60_000);
    const outcome = await run;
    const after = await serverNow(store);
    expect(await worker.exited, worker.stderr()).toBe(0);

    expect(outcome).toEqual({ status: 'done', reason: `time budget of ${minutes} min spent` });
    expect((await store.getStudy(study.id)).statusReason).toBe(outcome.reason);
    const ends = await budgetEnd(store, study.id);
    // Measured from the run's start on the server's clock: after `before`, before `after`.
    expect(ends - minutes * 60_000).toBeGreaterThanOrEqual(before);
    expect(ends - minutes * 60_000).toBeLessThanOrEqual(after);
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 1000 });
    const started = rows.filter((t) => t.startedAt !== null);
    expect(started.length).toBeGreaterThan(0);
    expect(started.length).toBeLessThan(30);
    for (const trial of started) {
      expect(trial.startedAt!).toBeLessThan(ends); // claimed before the deadline, by the owner or the worker
      expect(trial).toMatchObject({ state: 'complete', epochsRun: 5 }); // and let finish
    }
    // What was queued and never claimed ends cancelled, naming the budget; nothing is left open.
    for (const trial of rows.filter((t) => t.startedAt === null)) expect(trial).toMatchObject({ state: 'cancelled', error: outcome.reason });
    expect((await store.summarizeStudy(study.id)).counts).toMatchObject({ queued: 0, running: 0 });

    // Resume: a fresh budget from its own start; the cancelled asks run first, as after a cancel.
    const cancelled = rows.filter((t) => t.state === 'cancelled').map((t) => t.id);
    const resumedAt = await serverNow(store);
    const again = await service.run(await store.getStudy(study.id));
    expect(again).toEqual(outcome);
    const fresh = await budgetEnd(store, study.id);
    expect(fresh - minutes * 60_000).toBeGreaterThanOrEqual(resumedAt);
    const resumed = (await store.listTrials(study.id, { sort: 'number', limit: 1000 })).rows.filter((t) => t.number >= rows.length);
    expect(resumed.filter((t) => t.startedAt !== null).every((t) => t.startedAt! >= resumedAt && t.startedAt! < fresh)).toBe(true);
    if (cancelled.length > 0) expect(resumed[0]!.retryOf).toBe(cancelled[0]);
    expect((await store.summarizeStudy(study.id)).counts).toMatchObject({ queued: 0, running: 0 });
    await service.close();
    await store.close();
  }, 120_000);
});
