import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../api/contract.js';
import type { Store } from '../store/store.js';
import { StudyRun } from './studyRun.js';
import { createFixtureStudy, fixtureSpawner, tempStore } from '../../tests/support/engine.js';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ store, dir, cleanup } = await tempStore());
});
afterEach(async () => cleanup());

function runner(study: Awaited<ReturnType<typeof createFixtureStudy>>, workers = 2, events: ApiEvent[] = []) {
  return new StudyRun({
    store,
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

  it('fails a crashed trial with its signal or exit code, retries it once, and goes on', async () => {
    const study = await createFixtureStudy(store, {
      space: { optimizer: 'sgd', learningRate: { choice: [0.01, 0.5, 0.9, 0.02] }, batchSize: 8 },
      limits: { maxRetries: 1, maxConsecutiveFailures: 10 },
    });
    const outcome = await runner(study, 1).run();
    expect(outcome.status).toBe('done');
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100 });
    const byLr = (lr: number) => rows.filter((t) => t.params.learningRate === lr);
    expect(byLr(0.5).map((t) => [t.state, t.retries])).toEqual([['failed', 0], ['failed', 1]]);
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

  it('never retries a diverged trial nor one whose code threw', async () => {
    const study = await createFixtureStudy(store, {
      space: { optimizer: 'sgd', learningRate: { choice: [0.7, 0.8] }, batchSize: 8 },
      limits: { maxRetries: 3, maxConsecutiveFailures: 10 },
    });
    await runner(study, 1).run();
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100 });
    expect(rows.map((t) => [t.state, t.error])).toEqual([
      ['failed', 'diverged: loss is NaN at epoch 1'],
      ['failed', 'fixture threw'],
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
    expect(await done).toEqual({ status: 'paused', reason: 'cancelled' });
    for (const pid of pids) expect(() => process.kill(pid, 0), `worker ${pid} is still alive`).toThrow();
    const afterCancel = (await store.listTrials(study.id, { sort: 'number', limit: 100 })).rows;
    expect(afterCancel.filter((t) => t.error === 'cancelled')).toHaveLength(2);
    expect(afterCancel.every((t) => t.state !== 'running')).toBe(true);

    const resumed = await runner(await store.getStudy(study.id), 2).run();
    expect(resumed.status).toBe('done');
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100 });
    const completeSizes = rows.filter((t) => t.state === 'complete').map((t) => t.params.batchSize).sort();
    expect(completeSizes).toEqual([1, 2, 3, 4]);
  }, 60_000);
});
