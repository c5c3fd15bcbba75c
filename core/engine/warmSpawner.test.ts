import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StudySpecInput } from '../api/spec.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import type { Store } from '../store/store.js';
import { createTunebenchService, type TunebenchService } from './service.js';
import type { Spawner } from './spawner.js';
import { createWarmSpawner, type WarmSpawner } from './warmSpawner.js';
import { createFixtureStudy, fixtureSpawner, tempStore } from '../../tests/support/engine.js';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
let service: TunebenchService;
let warm: WarmSpawner;
/** Every real process started (scripted workers), and every handle lent: slot id and pid. */
let started: number[];
let lent: { slotId: string; pid: number }[];

/** Records what passes through a spawner; the processes are real. */
function recording(spawner: Spawner, onSpawn: (id: string, pid: number) => void): Spawner {
  return {
    spawn(id, env) {
      const handle = spawner.spawn(id, env);
      onSpawn(id, handle.pid ?? -1);
      return handle;
    },
  };
}

async function openService(idleMs: number): Promise<void> {
  warm = createWarmSpawner(recording(fixtureSpawner(), (_id, pid) => started.push(pid)), { idleMs });
  service = createTunebenchService({
    store: await openSqliteStore(join(dir, 'test.db')),
    spawner: recording(warm, (slotId, pid) => lent.push({ slotId, pid })),
    workDir: dir,
    workers: 2,
    slot: { heartbeatGraceMs: 2_000, killGraceMs: 300 },
    lease: { heartbeatMs: 200, ttlMs: 2_000 },
  });
}

beforeEach(async () => {
  ({ store, dir, cleanup } = await tempStore());
  started = [];
  lent = [];
});
afterEach(async () => {
  await service.close();
  await warm.close();
  await cleanup();
});

const grid = (learningRate: number | { choice: number[] }, extra: Partial<StudySpecInput> = {}): Partial<StudySpecInput> & Pick<StudySpecInput, 'space'> => ({
  epochs: 3,
  space: { optimizer: 'sgd', learningRate, batchSize: { choice: [1, 2, 3, 4] } },
  ...extra,
});

const pidsOf = (studyId: number) => new Set(lent.filter(({ slotId }) => slotId.startsWith(`s${studyId}-`)).map(({ pid }) => pid));
const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 20_000) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('warm workers kept between study runs', () => {
  it('a second sweep trains on the first sweep\'s processes; two studies at once never share one', async () => {
    await openService(60_000);
    const first = await createFixtureStudy(store, grid(0.1));
    expect((await service.run(first)).status).toBe('done');
    expect(started).toHaveLength(2);
    expect(warm.idleCount()).toBe(2);

    const second = await createFixtureStudy(store, grid(0.1));
    expect((await service.run(second)).status).toBe('done');
    expect(started).toHaveLength(2);
    expect(pidsOf(second.id)).toEqual(new Set(started));

    const [a, b] = [await createFixtureStudy(store, grid(0.4)), await createFixtureStudy(store, grid(0.4))];
    const outcomes = await Promise.all([service.run(a), service.run(b)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['done', 'done']);
    // The two warm ones and two fresh ones, each lent to one study only.
    expect(started).toHaveLength(4);
    expect([...pidsOf(a.id)].filter((pid) => pidsOf(b.id).has(pid))).toEqual([]);
    expect(pidsOf(a.id).size + pidsOf(b.id).size).toBe(4);
    expect(warm.idleCount()).toBe(4);
  });

  it('a warm worker takes the engine\'s verdicts: a pruned study\'s trial stops at its rung', async () => {
    await openService(60_000);
    await service.run(await createFixtureStudy(store, grid(0.1)), { workers: 1 });
    const pruned = await createFixtureStudy(store, {
      epochs: 10,
      space: { optimizer: 'sgd', learningRate: { choice: [0.01, 0.02, 0.4, 0.005] }, batchSize: 8 },
      objective: { metric: 'val_loss', direction: 'minimize' },
      pruner: { type: 'median', startupTrials: 2, warmupEpochs: 1 },
    });
    expect((await service.run(pruned, { workers: 1 })).status).toBe('done');
    expect(started).toHaveLength(1);
    const { rows } = await store.listTrials(pruned.id, { sort: 'number', limit: 10 });
    expect(rows.map((trial) => trial.state)).toEqual(['complete', 'complete', 'pruned', 'complete']);
    expect(rows[2]!.epochsRun).toBeLessThan(10);
    expect(warm.idleCount()).toBe(1);
  });

  it('a worker that crashed, was lost to its GPU, or runs another backend is not lent again', async () => {
    await openService(60_000);
    // 0.5: the process exits mid-trial; 0.3: the trial ends with retireWorker (device lost).
    const faulty = await createFixtureStudy(store, grid({ choice: [0.5, 0.3] }));
    await service.run(faulty, { workers: 1 });
    const faultyPids = [...pidsOf(faulty.id)];
    // Every trial after a fault started a fresh process, and none was kept.
    expect(faultyPids).toHaveLength(started.length);
    expect(warm.idleCount()).toBe(0);
    await until(() => faultyPids.every((pid) => !isAlive(pid)), 'the faulty workers to end');

    const plain = await createFixtureStudy(store, grid(0.1));
    await service.run(plain, { workers: 1 });
    expect(faultyPids).not.toContain([...pidsOf(plain.id)][0]);
    expect(warm.idleCount()).toBe(1);

    const forced = await createFixtureStudy(store, grid(0.1));
    await service.run(forced, { workers: 1, backend: 'cpu' });
    expect(pidsOf(forced.id)).not.toEqual(pidsOf(plain.id));
    expect(warm.idleCount()).toBe(2);
  });

  it('an idle worker ends after the idle time, and close ends the rest', async () => {
    await openService(300);
    const study = await createFixtureStudy(store, grid(0.1));
    await service.run(study);
    const pids = [...started];
    await until(() => warm.idleCount() === 0 && pids.every((pid) => !isAlive(pid)), 'idle workers to end');

    await warm.close();
    warm = createWarmSpawner(fixtureSpawner(), { idleMs: 60_000 });
    const kept = warm.spawn('k');
    await new Promise<void>((resolve) => kept.onMessage((message) => message.type === 'ready' && resolve()));
    const exited = new Promise((resolve) => kept.onExit(resolve));
    kept.send({ type: 'shutdown' });
    await exited;
    expect(warm.idleCount()).toBe(1);
    await warm.close();
    expect(warm.idleCount()).toBe(0);
    await until(() => !isAlive(kept.pid ?? -1), 'the closed worker to exit');
  });
});
