import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../api/contract.js';
import type { LeaseOwner, Store } from '../store/store.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import { StudyRun } from './studyRun.js';
import { createFixtureStudy, fixtureSpawner, tempStore, testEngineOwner } from '../../tests/support/engine.js';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ store, dir, cleanup } = await tempStore());
});
afterEach(async () => cleanup());

const thisEngine: LeaseOwner = testEngineOwner;

function runner(study: Awaited<ReturnType<typeof createFixtureStudy>>, workers = 2, events: ApiEvent[] = [], owner = thisEngine, on = store) {
  return new StudyRun({
    store: on,
    owner,
    lease: { heartbeatMs: 200, ttlMs: 2_000 },
    spawner: fixtureSpawner(),
    study,
    workers,
    baseDir: dir,
    emit: (event) => events.push(event),
    slot: { heartbeatGraceMs: 1_500, killGraceMs: 300 },
    cancelGraceMs: 500,
  });
}

describe('StudyRun with real worker processes', () => {
  it('runs a grid to the end with two workers, one writer and dense unique numbers', async () => {
    const study = await createFixtureStudy(store, {
      space: { optimizer: { choice: ['sgd', 'adam'] }, learningRate: { choice: [0.01, 0.02] }, batchSize: { choice: [8, 16] } },
      objective: { metric: 'val_loss', direction: 'minimize' },
    });
    const events: ApiEvent[] = [];
    const outcome = await runner(study, 2, events).run();
    expect(outcome).toEqual({ status: 'done', reason: null });
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100 });
    expect(rows.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(rows.every((t) => t.state === 'complete' && t.backend === 'fixture' && t.backendNote === 'fixture: no native backend')).toBe(true);
    // val_loss = lr * (epochs - epoch) + bs/1000 is lowest at the last epoch.
    const first = rows[0]!;
    expect(first.bestEpoch).toBe(2);
    expect(first.value).toBeCloseTo(first.params.learningRate * 1 + first.params.batchSize / 1000, 10);
    const curves = await store.getMetrics([first.id], ['val_loss']);
    expect(curves.map((p) => p.epoch)).toEqual([0, 1, 2]);
    expect(new Set(rows.map((t) => t.worker)).size).toBe(2);
    expect(events.some((e) => e.type === 'epoch')).toBe(true);
    expect((await store.getStudy(study.id)).status).toBe('done');
  });

  it('stores every epoch of reports that arrive several to a message', async () => {
    const study = await createFixtureStudy(store, {
      epochs: 5,
      space: { optimizer: 'sgd', learningRate: 0.45, batchSize: 8 },
      objective: { metric: 'val_loss', direction: 'minimize' },
    });
    const events: ApiEvent[] = [];
    expect(await runner(study, 1, events).run()).toEqual({ status: 'done', reason: null });
    const [trial] = (await store.listTrials(study.id, { sort: 'number' })).rows;
    expect(trial).toMatchObject({ state: 'complete', epochsRun: 5, bestEpoch: 4, value: 0.4 });
    expect((await store.getMetrics([trial!.id], ['val_loss'])).map((p) => p.epoch)).toEqual([0, 1, 2, 3, 4]);
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.epoch)).toEqual([0, 1, 2, 3, 4]);
  });

  it('fails a crashed trial with its signal or exit code, retries it once, and goes on', async () => {
    const study = await createFixtureStudy(store, {
      space: { optimizer: 'sgd', learningRate: { choice: [0.01, 0.5, 0.9, 0.02] }, batchSize: 8 },
      limits: { maxRetries: 1, maxConsecutiveFailures: 10 },
    });
    const outcome = await runner(study, 1).run();
    expect(outcome.status).toBe('done');
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100 });
    const byLr = (lr: number) => rows.filter((t) => t.params.learningRate === lr);
    expect(byLr(0.5).map((t) => [t.state, t.retries, t.errorCode])).toEqual([['failed', 0, 'TRIAL_CRASHED'], ['failed', 1, 'TRIAL_CRASHED']]);
    expect(byLr(0.5)[1]!.retryOf).toBe(byLr(0.5)[0]!.id);
    expect(byLr(0.5)[0]!.error).toMatch(/^crashed\(exit 1\): fixture: exiting with 1/);
    expect(byLr(0.9)[0]!.error).toBe('crashed(SIGKILL)');
    expect(byLr(0.9)).toHaveLength(2);
    expect(byLr(0.02)[0]!.state).toBe('complete');
    expect(new Set(rows.map((t) => t.number)).size).toBe(rows.length);
  });

  it('fails a trial whose GPU device was lost with that reason and replaces the worker', async () => {
    const study = await createFixtureStudy(store, {
      space: { optimizer: 'sgd', learningRate: { choice: [0.01, 0.3, 0.02, 0.03] }, batchSize: 8 },
      limits: { maxRetries: 1, maxConsecutiveFailures: 10 },
    });
    const outcome = await runner(study, 1).run();
    expect(outcome.status).toBe('done');
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100 });
    expect(rows.map((t) => [t.params.learningRate, t.state, t.error])).toEqual([
      [0.01, 'complete', null],
      [0.3, 'failed', 'GPU device lost (unknown): fixture'],
      [0.02, 'complete', null],
      [0.03, 'complete', null],
    ]);
  });

  it('on webgpu waits out a first epoch that compiles kernels without heartbeats; elsewhere that silence is a lost worker', async () => {
    const space = { optimizer: 'sgd' as const, learningRate: 0.35, batchSize: 8 };
    const limits = { maxRetries: 0, maxConsecutiveFailures: 10 };
    const onGpu = await createFixtureStudy(store, { space, limits, backend: 'webgpu' });
    await runner(onGpu, 1).run();
    const onCpu = await createFixtureStudy(store, { space, limits });
    await runner(onCpu, 1).run();
    // 3 s of silence against a 1.5 s heartbeat grace.
    expect((await store.listTrials(onGpu.id)).rows.map((t) => [t.backend, t.state, t.error])).toEqual([['webgpu', 'complete', null]]);
    expect((await store.listTrials(onCpu.id)).rows.map((t) => [t.backend, t.state, t.error])).toEqual([['fixture', 'failed', 'heartbeat lost']]);
  }, 30_000);

  it('with gpuWorkers 1, a pool whose first worker lands on webgpu trains on that one worker; off the GPU all workers run', async () => {
    // 8 'slow' trials (0.6 s each): the second worker surely starts before the first could do them all.
    const space = { optimizer: { choice: ['sgd' as const, 'adam' as const] }, learningRate: 0.4, batchSize: { choice: [8, 16, 32, 64] } };
    const workersUsed = async (overrides: { backend?: 'webgpu' }) => {
      const study = await createFixtureStudy(store, { space, ...overrides });
      const run = new StudyRun({
        store, owner: thisEngine, lease: { heartbeatMs: 200, ttlMs: 2_000 }, spawner: fixtureSpawner(), study, workers: 2, gpuWorkers: 1,
        baseDir: dir, emit: () => {}, slot: { heartbeatGraceMs: 1_500, killGraceMs: 300 }, cancelGraceMs: 500,
      });
      expect(await run.run()).toEqual({ status: 'done', reason: null });
      const { rows } = await store.listTrials(study.id);
      return [...new Set(rows.map((t) => `${t.backend} on ${t.worker}`))].sort();
    };
    expect(await workersUsed({ backend: 'webgpu' })).toHaveLength(1);
    expect(await workersUsed({})).toHaveLength(2);
  }, 30_000);

  it('never retries a diverged trial nor one whose code threw', async () => {
    const study = await createFixtureStudy(store, {
      space: { optimizer: 'sgd', learningRate: { choice: [0.7, 0.8] }, batchSize: 8 },
      limits: { maxRetries: 3, maxConsecutiveFailures: 10 },
    });
    await runner(study, 1).run();
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100 });
    expect(rows.map((t) => [t.state, t.errorCode, t.error])).toEqual([
      ['failed', 'TRIAL_DIVERGED', 'diverged: loss is NaN at epoch 1'],
      ['failed', 'TRIAL_ERROR', 'fixture threw'],
    ]);
  });

  it('kills a hung (busy-looping) trial at its timeout or when its heartbeat stops', async () => {
    const study = await createFixtureStudy(store, {
      space: { optimizer: 'sgd', learningRate: { choice: [0.6, 0.01] }, batchSize: 8 },
      limits: { trialTimeoutSeconds: 1, maxRetries: 0, maxConsecutiveFailures: 10 },
    });
    const started = Date.now();
    await runner(study, 1).run();
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100 });
    // A busy loop sends nothing: the heartbeat watchdog (1.5 s) or the 1 s timeout ends it.
    expect(['timeout', 'heartbeat lost']).toContain(rows[0]!.error);
    expect(rows[1]!.state).toBe('complete');
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('fails a stopped (SIGSTOP) worker as heartbeat lost and retries the trial in a fresh one', async () => {
    const study = await createFixtureStudy(store, {
      epochs: 30,
      space: { optimizer: 'sgd', learningRate: 0.4, batchSize: 8 },
      limits: { maxRetries: 1, maxConsecutiveFailures: 10 },
    });
    const run = runner(study, 1);
    const done = run.run();
    let pid: number | undefined;
    while (!(pid = run.runningTrials()[0]?.pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(pid, 'SIGSTOP');
    // Cut the retry short: it has shown it started in a new process.
    while (!run.runningTrials().some((t) => t.pid !== pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    run.cancel();
    await done;
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 10 });
    expect(rows[0]).toMatchObject({ state: 'failed', error: 'heartbeat lost', retries: 0 });
    expect(rows[1]).toMatchObject({ retries: 1, params: rows[0]!.params, seed: rows[0]!.seed });
    expect(() => process.kill(pid!, 0)).toThrow(); // the stopped process was killed, not left behind
  }, 30_000);

  it('prunes a trial worse than the median of completed ones, and the sweep goes on', async () => {
    // Fixture curves: val_loss = lr * (epochs - epoch) + bs / 1000, so a larger lr is worse at every
    // epoch; lr 0.4 also runs 200 ms per epoch, leaving time for the stop to arrive.
    const study = await createFixtureStudy(store, {
      epochs: 10,
      space: { optimizer: 'sgd', learningRate: { choice: [0.01, 0.02, 0.4, 0.005] }, batchSize: 8 },
      objective: { metric: 'val_loss', direction: 'minimize' },
      pruner: { type: 'median', startupTrials: 2, warmupEpochs: 1 },
    });
    const outcome = await runner(study, 1).run();
    expect(outcome.status).toBe('done');
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 10 });
    expect(rows.map((t) => [t.params.learningRate, t.state])).toEqual([
      [0.01, 'complete'],
      [0.02, 'complete'],
      [0.4, 'pruned'],
      [0.005, 'complete'],
    ]);
    expect(rows[2]!.epochsRun).toBeLessThan(10);
    expect(rows[2]!.error).toBeNull();
    // As Optuna does, a pruned trial keeps its last reported value (it never ranks as best).
    const prunedCurve = await store.getMetrics([rows[2]!.id], ['val_loss']);
    expect(rows[2]!.value).toBe(prunedCurve.at(-1)!.value);
    expect(rows[2]!.bestEpoch).toBe(prunedCurve.at(-1)!.epoch);
    expect((await store.summarizeStudy(study.id)).bestTrialNumber).toBe(3);
  });

  it('stops the sweep after K failures in a row, with the reason', async () => {
    const study = await createFixtureStudy(store, {
      space: { optimizer: 'sgd', learningRate: { choice: [0.8, 0.8, 0.8, 0.8, 0.8] }, batchSize: { choice: [1, 2, 3, 4, 5] } },
      limits: { maxRetries: 0, maxConsecutiveFailures: 3 },
    });
    const outcome = await runner(study, 1).run();
    expect(outcome.status).toBe('failed');
    expect(outcome.reason).toMatch(/^3 trials failed in a row; the last: fixture threw/);
    const { total } = await store.listTrials(study.id, { limit: 100 });
    expect(total).toBe(3);
  });

  it('cancels running trials cleanly and resume re-runs them to the end', async () => {
    const study = await createFixtureStudy(store, {
      epochs: 8,
      space: { optimizer: 'sgd', learningRate: 0.4, batchSize: { choice: [1, 2, 3, 4] } },
    });
    const run = runner(study, 2);
    const done = run.run();
    await new Promise((resolve) => setTimeout(resolve, 800));
    const pids = run.runningTrials().map((t) => t.pid!);
    expect(pids).toHaveLength(2);
    run.cancel();
    expect(await done).toEqual({ status: 'cancelled', reason: 'cancelled by user' });
    for (const pid of pids) expect(() => process.kill(pid, 0), `worker ${pid} is still alive`).toThrow();
    const afterCancel = (await store.listTrials(study.id, { sort: 'number', limit: 100 })).rows;
    // Cancelled is its own state (RELIABILITY row 18): not a failure, not crashed(SIGINT).
    expect(afterCancel.filter((t) => t.state === 'cancelled').map((t) => t.errorCode)).toEqual(['TRIAL_CANCELLED', 'TRIAL_CANCELLED']);
    expect(afterCancel.every((t) => t.state !== 'running' && t.state !== 'failed')).toBe(true);
    expect(await store.getStudy(study.id)).toMatchObject({ status: 'cancelled', owner: null });

    const resumed = await runner(await store.getStudy(study.id), 2).run();
    expect(resumed.status).toBe('done');
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100 });
    const completeSizes = rows.filter((t) => t.state === 'complete').map((t) => t.params.batchSize).sort();
    expect(completeSizes).toEqual([1, 2, 3, 4]);
    // Re-runs count once per planned trial: never more done than planned.
    const summary = await store.summarizeStudy(study.id);
    expect(summary.counts).toMatchObject({ complete: 4, cancelled: 0, failed: 0 });
    expect(rows.filter((t) => t.retryOf !== null)).toHaveLength(2);
  }, 60_000);

  it('ends failed, not done, when no trial completed', async () => {
    const study = await createFixtureStudy(store, {
      space: { optimizer: 'sgd', learningRate: { choice: [0.8, 0.7] }, batchSize: 8 },
      limits: { maxRetries: 0, maxConsecutiveFailures: 10 },
    });
    const outcome = await runner(study, 1).run();
    expect(outcome).toEqual({ status: 'failed', reason: 'no trial completed (2 failed, 0 pruned)' });
    expect((await store.getStudy(study.id)).status).toBe('failed');
  });

  it('a lane whose store write fails stops every lane and fails the study with that reason', async () => {
    const study = await createFixtureStudy(store, {
      epochs: 3,
      space: { optimizer: 'sgd', learningRate: 0.01, batchSize: { choice: [1, 2, 3, 4, 5, 6, 7, 8] } },
    });
    // A real write fault from another connection: the third trial insert aborts.
    const other = new Database(join(dir, 'test.db'));
    other.exec(`CREATE TRIGGER refuse_third BEFORE INSERT ON trial WHEN NEW.number >= 2
      BEGIN SELECT RAISE(ABORT, 'database or disk is full (injected)'); END`);
    other.close();
    const outcome = await runner(study, 2).run();
    expect(outcome).toMatchObject({ status: 'failed', reason: expect.stringMatching(/disk is full \(injected\)/) });
    expect(await store.getStudy(study.id)).toMatchObject({ status: 'failed', statusReason: expect.stringMatching(/injected/) });
    const { rows } = await store.listTrials(study.id, { limit: 100 });
    expect(rows).toHaveLength(2);
    expect(rows.every((t) => t.state !== 'running' && t.state !== 'queued')).toBe(true);
  });

  it('one owner at a time: a second engine is refused naming the owner, and the owner goes on', async () => {
    const study = await createFixtureStudy(store, {
      epochs: 6,
      space: { optimizer: 'sgd', learningRate: 0.4, batchSize: { choice: [1, 2, 3] } },
    });
    const first = runner(study, 1);
    const done = first.run();
    while (first.runningTrials().length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const otherStore = await openSqliteStore(join(dir, 'test.db'));
    const intruder = runner(await otherStore.getStudy(study.id), 1, [], { ownerId: 'intruder', host: 'elsewhere', pid: 4242 }, otherStore);
    await expect(intruder.run()).rejects.toMatchObject({ code: 'LEASE_HELD', message: expect.stringMatching(/host test-host, pid \d+/) });
    expect((await otherStore.getStudy(study.id)).owner).toMatchObject({ host: 'test-host', pid: process.pid });
    // A cancel asked through the database (another process's Cancel button) reaches the owner.
    await otherStore.requestControl(study.id, 'cancel');
    expect(await done).toEqual({ status: 'cancelled', reason: 'cancelled by user' });
    const { rows } = await store.listTrials(study.id, { limit: 100 });
    expect(rows.some((t) => t.errorCode === 'STALE')).toBe(false); // nobody failed the owner's trials
    await otherStore.close();
  }, 30_000);
});
