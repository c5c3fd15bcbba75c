import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createForkSpawner } from '../../core/engine/forkSpawner.js';
import { StudyRun } from '../../core/engine/studyRun.js';
import type { Store } from '../../core/store/store.js';
import { createFixtureStudy, tempStore, testEngineOwner } from '../support/engine.js';

// RELIABILITY row 14: a worker that runs out of memory under its heap cap fails its trial as
// `oom` (not retried: it would run out again), the parent lives and the next trials run.
let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
afterEach(async () => cleanup());

describe('worker out of memory', () => {
  it('fails the trial as oom under a 64 MB heap cap and the pool goes on', async () => {
    const study = await createFixtureStudy(store, {
      space: { optimizer: 'sgd', learningRate: { choice: [0.01, 0.25, 0.02, 0.03] }, batchSize: 8 },
      limits: { maxRetries: 1, maxConsecutiveFailures: 10 },
    });
    const script = fileURLToPath(new URL('../support/scriptedWorker.mjs', import.meta.url));
    const run = new StudyRun({
      store,
      owner: testEngineOwner,
      spawner: createForkSpawner({ script, heapLimitMb: 64 }),
      study,
      workers: 1,
      baseDir: dir,
      emit: () => {},
      slot: { heartbeatGraceMs: 10_000, killGraceMs: 300 },
      cancelGraceMs: 500,
    });
    expect(await run.run()).toEqual({ status: 'done', reason: null });
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 10 });
    expect(rows.map((t) => [t.params.learningRate, t.state])).toEqual([
      [0.01, 'complete'],
      [0.25, 'failed'],
      [0.02, 'complete'],
      [0.03, 'complete'],
    ]);
    expect(rows[1]?.error).toMatch(/^oom: the worker ran out of memory/);
    expect(rows[1]?.errorCode).toBe('TRIAL_OOM');
  });
});
