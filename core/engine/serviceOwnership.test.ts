import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../api/contract.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import type { Store } from '../store/store.js';
import { createTunebenchService, type TunebenchService } from './service.js';
import { createFixtureStudy, fixtureSpawner, tempStore } from '../../tests/support/engine.js';

// Two services on one database file, as the CLI and the dashboard (serve or the app) are.
let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
let services: TunebenchService[] = [];

beforeEach(async () => {
  ({ store, dir, cleanup } = await tempStore());
});
afterEach(async () => {
  await Promise.all(services.map((service) => service.close()));
  services = [];
  await cleanup();
});

async function openService(followMs?: number): Promise<TunebenchService> {
  const own = await openSqliteStore(join(dir, 'test.db'));
  const service = createTunebenchService({
    store: own,
    spawner: fixtureSpawner(),
    workDir: dir,
    workers: 1,
    slot: { heartbeatGraceMs: 2_000, killGraceMs: 300 },
    lease: { heartbeatMs: 200, ttlMs: 2_000 },
    followMs,
  });
  services.push(service);
  return service;
}

const slowGrid = { epochs: 10, space: { optimizer: 'sgd' as const, learningRate: 0.4, batchSize: { choice: [1, 2, 3, 4] } } };

describe('a study owned by another process', () => {
  it('the dashboard sees the sweep advance without a refresh, and its Resume is refused naming the owner', async () => {
    const study = await createFixtureStudy(store, slowGrid);
    const owner = await openService();
    const dashboard = await openService(100);
    const events: { at: number; event: ApiEvent }[] = [];
    dashboard.onEvent((event) => events.push({ at: Date.now(), event }));
    const done = owner.run(study);
    const firstTrialDone = async () => {
      for (;;) {
        const seen = events.find(({ event }) => event.type === 'trial' && event.trial.state === 'complete');
        if (seen) return seen;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const seen = await firstTrialDone();
    const stored = await store.getTrial(seen.event.type === 'trial' ? seen.event.trial.id : -1);
    expect(seen.at - (stored.endedAt ?? 0)).toBeLessThan(1_000); // within about a second of the write
    expect(events.some(({ event }) => event.type === 'study' && event.study.id === study.id)).toBe(true);

    await expect(dashboard.studies.resume({ study: study.id })).rejects.toMatchObject({
      code: 'LEASE_HELD',
      message: expect.stringMatching(new RegExp(`pid ${process.pid}`)),
    });
    const detail = await dashboard.studies.get({ study: study.id });
    expect(detail.study).toMatchObject({ status: 'running', owner: { pid: process.pid } });
    expect(detail.etaSeconds).toBeNull(); // not running here: no ETA

    // Cancel from the dashboard is delivered through the database and obeyed by the owner.
    await dashboard.studies.cancel({ study: study.id });
    expect(await done).toEqual({ status: 'cancelled', reason: 'cancelled by user' });
    for (;;) {
      if (events.some(({ event }) => event.type === 'study' && event.study.status === 'cancelled')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Now nobody owns it: Resume from the dashboard takes it and runs it to the end.
    await dashboard.studies.resume({ study: study.id });
    for (;;) {
      const { study: summary } = await dashboard.studies.get({ study: study.id });
      if (summary.status === 'done') {
        expect(summary.counts).toMatchObject({ complete: 4, cancelled: 0, failed: 0 });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 60_000);

  it('pause of a study owned elsewhere reaches the owner; pausing a study that is not running is refused plainly', async () => {
    const study = await createFixtureStudy(store, slowGrid);
    const owner = await openService();
    const other = await openService();
    const done = owner.run(study);
    while ((await store.getStudy(study.id)).owner == null) await new Promise((resolve) => setTimeout(resolve, 50));
    await other.studies.pause({ study: study.id });
    expect(await done).toEqual({ status: 'paused', reason: 'paused by user' });
    await expect(other.studies.pause({ study: study.id })).rejects.toMatchObject({ code: 'CONFLICT', message: /paused, not running/ });
  }, 60_000);
});
