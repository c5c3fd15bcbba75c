import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from '../data/index.js';
import type { EpochReport, FromWorker, ToWorker, TrialJob } from './protocol.js';
import { workerEntryPath } from './workerEntry.js';

/** A forked worker with every message it sent, and a way to wait for the next one that matches. */
class WorkerUnderTest {
  readonly messages: FromWorker[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private waiters: { test: (m: FromWorker) => boolean; resolve: (m: FromWorker) => void }[] = [];

  constructor(readonly child: ChildProcess) {
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on('message', (m: FromWorker) => {
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.test(m) ? (w.resolve(m), false) : true));
    });
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  send(message: ToWorker): void {
    this.child.send(message);
  }

  next<T extends FromWorker['type']>(type: T, trialId?: number): Promise<Extract<FromWorker, { type: T }>> {
    const test = (m: FromWorker) => m.type === type && (trialId === undefined || ('trialId' in m && m.trialId === trialId));
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen as Extract<FromWorker, { type: T }>);
    return new Promise((resolve) => this.waiters.push({ test, resolve: (m) => resolve(m as Extract<FromWorker, { type: T }>) }));
  }

  of(trialId: number): FromWorker[] {
    return this.messages.filter((m) => 'trialId' in m && m.trialId === trialId);
  }

  /** The trial's epoch reports, whether they came one a message or several (EpochOutbox). */
  reports(trialId: number): EpochReport[] {
    return this.messages.flatMap((m) => (m.type === 'epochs' ? m.reports : m.type === 'epoch' ? [m] : [])).filter((r) => r.trialId === trialId);
  }
}

let dir = '';
let fingerprint = '';
let worker: WorkerUnderTest;

const job = (trialId: number, extra: Partial<TrialJob> = {}): TrialJob => ({
  trialId,
  number: trialId,
  params: { optimizer: 'adam', learningRate: 0.02, batchSize: 16, lrSchedule: 'cosine' },
  seed: trialId,
  dataset: 'builtin:iris',
  baseDir: dir,
  datasetFingerprint: fingerprint,
  model: { type: 'mlp', hidden: [16], activation: 'relu', dropout: 0 },
  epochs: 25,
  validationSplit: 0.2,
  splitSeed: 42,
  ...extra,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tunebench-worker-'));
  fingerprint = (await loadDataset('builtin:iris', dir)).info.fingerprint;
  const child = fork(workerEntryPath(), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  worker = new WorkerUnderTest(child);
});

afterAll(async () => {
  if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

describe('trial worker process', () => {
  it('announces its backend, with the reason a native one was not used', async () => {
    const ready = await worker.next('ready');
    expect(ready.pid).toBe(worker.child.pid);
    expect(['wasm', 'cpu', 'tensorflow']).toContain(ready.backend);
    if (ready.backend !== 'tensorflow') expect(ready.backendNote).toMatch(/tfjs-node/);
  });

  it('runs two trials back to back on builtin:iris, loading the data once', async () => {
    worker.send({ type: 'run', job: job(1) });
    const done1 = await worker.next('done', 1);
    worker.send({ type: 'run', job: job(2, { saveModelTo: join(dir, 'model2') }) });
    const done2 = await worker.next('done', 2);
    expect(done1.end).toEqual({ state: 'complete', epochsRun: 25 });
    expect(done2.end).toEqual({ state: 'complete', epochsRun: 25 });
    for (const id of [1, 2]) {
      expect(worker.reports(id).map((r) => r.epoch)).toEqual([...Array(25).keys()]);
      // Every report before done; milliseconds-long epochs leave a few to a message.
      const types = worker.messages.filter((m) => m.type !== 'heartbeat' && m.type !== 'ready' && (m.type === 'epochs' ? m.reports[0]?.trialId === id : 'trialId' in m && m.trialId === id)).map((m) => m.type);
      expect(types[0]).toBe('started');
      expect(types.at(-1)).toBe('done');
      expect(types.slice(1, -1).every((t) => t === 'epoch' || t === 'epochs')).toBe(true);
    }
    // The warm worker's second trial: 25 epochs of about a millisecond in far fewer messages.
    expect(worker.messages.filter((m) => m.type === 'epochs' && m.reports[0]?.trialId === 2).length).toBeGreaterThan(0);
    expect(worker.reports(2).at(-1)?.metrics.val_accuracy).toBeGreaterThan(0.8);
    expect(worker.stderr.match(/loaded dataset builtin:iris/g)).toHaveLength(1);
    expect((await readdir(join(dir, 'model2'))).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('refuses a dataset whose fingerprint changed, and stays alive', async () => {
    worker.send({ type: 'run', job: job(3, { datasetFingerprint: 'not-the-real-one' }) });
    const done = await worker.next('done', 3);
    expect(done.end).toMatchObject({ state: 'failed', reason: 'dataset', error: expect.stringMatching(/changed since the study started/) });
  });

  it('stops a running trial on request, heartbeating while it runs', async () => {
    const long = job(4, { epochs: 10_000, params: { optimizer: 'sgd', learningRate: 0.01, batchSize: 1, lrSchedule: 'constant' } });
    worker.send({ type: 'run', job: long });
    await expect.poll(() => worker.reports(4).length).toBeGreaterThan(0);
    await worker.next('heartbeat', 4);
    worker.send({ type: 'stop', trialId: 4 });
    const done = await worker.next('done', 4);
    expect(done.end.state).toBe('stopped');
    expect(done.end.epochsRun).toBeGreaterThan(0);
  });

  it('waits for the engine verdict after each epoch of a pruned study, and stops at the epoch pruned', async () => {
    worker.send({ type: 'run', job: job(5, { epochs: 8, awaitsVerdict: true }) });
    const first = await worker.next('epoch', 5);
    // Held at epoch 0 until told: no second epoch arrives meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(worker.of(5).filter((m) => m.type === 'epoch')).toHaveLength(1);
    worker.send({ type: 'verdict', trialId: 5, epoch: first.epoch, prune: false });
    const secondEpoch = () => worker.of(5).filter((m) => m.type === 'epoch').length === 2;
    await expect.poll(secondEpoch).toBe(true);
    worker.send({ type: 'verdict', trialId: 5, epoch: 1, prune: true });
    const done = await worker.next('done', 5);
    expect(done.end).toEqual({ state: 'stopped', epochsRun: 2 });
  });

  it('exits 0 on shutdown', async () => {
    worker.send({ type: 'shutdown' });
    expect(await worker.exited).toBe(0);
  });
});
