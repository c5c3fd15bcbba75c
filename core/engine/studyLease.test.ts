import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { createFixtureStudy, tempStore } from '../../tests/support/engine.js';
import { StudyLease } from './studyLease.js';

let store: Store;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ store, cleanup } = await tempStore());
});
afterEach(async () => cleanup());

/** The pid of a process that has ended (a real one, so no live process can be mistaken for it). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid as number;
}

describe('StudyLease', () => {
  it('takes over at once from an owner on this host whose process is gone (kill -9, then resume)', async () => {
    const study = await createFixtureStudy(store, { space: { optimizer: 'adam', learningRate: 0.01, batchSize: 8 } });
    const dead = { ownerId: 'killed-engine', host: hostname(), pid: deadPid() };
    await store.acquireLease(study.id, dead, Date.now(), 60_000);
    const lease = new StudyLease(store, study.id, { ownerId: 'new-engine', host: hostname(), pid: process.pid });
    await lease.acquire();
    expect((await store.getStudy(study.id)).owner).toMatchObject({ ownerId: 'new-engine' });
  });

  it('still refuses a live owner on this host, and any owner on another host until its lease expires', async () => {
    const study = await createFixtureStudy(store, { space: { optimizer: 'adam', learningRate: 0.01, batchSize: 8 } });
    await store.acquireLease(study.id, { ownerId: 'live-engine', host: hostname(), pid: process.pid }, Date.now(), 60_000);
    const here = new StudyLease(store, study.id, { ownerId: 'second', host: hostname(), pid: process.pid });
    await expect(here.acquire()).rejects.toMatchObject({ code: 'LEASE_HELD' });

    const other = await createFixtureStudy(store, { space: { optimizer: 'adam', learningRate: 0.01, batchSize: 8 } });
    await store.acquireLease(other.id, { ownerId: 'remote-engine', host: 'another-machine', pid: deadPid() }, Date.now(), 60_000);
    const local = new StudyLease(store, other.id, { ownerId: 'third', host: hostname(), pid: process.pid });
    await expect(local.acquire()).rejects.toMatchObject({ code: 'LEASE_HELD' });
  });
});
