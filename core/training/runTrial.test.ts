import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from './tf.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../api/domain.js';
import type { Dataset } from '../data/dataset.js';
import { chooseBackend } from './backend.js';
import { openChannel, type ChannelProcess } from './channel.js';
import type { EpochReport, FromWorker, ToWorker, TrialJob } from './protocol.js';
import { fileLoadHandler } from './modelFiles.js';
import { runTrial } from './runTrial.js';
import { SplitCache } from './splitCache.js';
import { trialVerdict } from '../engine/trialVerdict.js';
import { blobsSplit, linearSplit } from '../../tests/support/syntheticSplits.js';

const job = (extra: Partial<TrialJob> = {}): TrialJob => ({
  trialId: 1,
  number: 0,
  params: { optimizer: 'adam', learningRate: 0.05, batchSize: 16, lrSchedule: 'constant' },
  seed: 3,
  dataset: 'builtin:blobs',
  baseDir: '/',
  datasetFingerprint: 'f1',
  model: { type: 'mlp', hidden: [8], activation: 'relu', dropout: 0 },
  epochs: 3,
  validationSplit: 0.2,
  splitSeed: 1,
  ...extra,
});

beforeAll(async () => {
  await chooseBackend();
});

describe('runTrial', () => {
  it('reports every epoch and completes, saving the model when asked', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tunebench-trial-'));
    try {
      const reports: EpochReport[] = [];
      const before = tf.memory().numTensors;
      const end = await runTrial(job({ saveModelTo: join(dir, 'model') }), {
        loadSplit: async () => blobsSplit(),
        onEpoch: (r) => reports.push(r),
      });
      expect(end).toEqual({ state: 'complete', epochsRun: 3 });
      expect(reports.map((r) => [r.trialId, r.epoch])).toEqual([[1, 0], [1, 1], [1, 2]]);
      expect(await readdir(join(dir, 'model'))).toContain('weights.bin');
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('completes when the weights cannot be written (a full disk), saying why, and leaks nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tunebench-unsaved-'));
    try {
      await writeFile(join(dir, 'a-file'), '');
      const before = tf.memory().numTensors;
      const end = await runTrial(job({ saveModelTo: join(dir, 'a-file', 'model') }), { loadSplit: async () => blobsSplit(), onEpoch: () => {} });
      expect(end).toMatchObject({ state: 'complete', epochsRun: 3, modelNotSaved: expect.stringMatching(/ENOTDIR|EEXIST|not a directory/i) });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('saves the best epoch\'s weights under checkpointBy, the last epoch\'s without, and leaks no copy', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tunebench-checkpoint-'));
    const split = blobsSplit();
    /** The saved model's validation loss (mean cross-entropy of its softmax output). */
    const savedValLoss = async (path: string) => {
      const model = await tf.loadLayersModel(fileLoadHandler(path));
      const loss = tf.tidy(() => {
        const p = model.predict(tf.tensor2d(split.valX, [split.valRows, split.featureCount])) as tf.Tensor;
        const labels = tf.oneHot(tf.tensor1d(Int32Array.from(split.valY), 'int32'), split.classCount);
        return -tf.mean(tf.sum(tf.mul(labels, tf.log(p)), 1)).dataSync()[0]!;
      });
      model.dispose();
      return loss;
    };
    try {
      const before = tf.memory().numTensors;
      const reports: EpochReport[] = [];
      // The worst epoch by val_loss ("maximize"): the first, while the loss falls, never the last.
      const checkpointBy = { metric: 'val_loss', direction: 'maximize' as const };
      await runTrial(job({ epochs: 5, saveModelTo: join(dir, 'best'), checkpointBy }), { loadSplit: async () => split, onEpoch: (r) => reports.push(r) });
      expect(tf.memory().numTensors).toBe(before);
      await runTrial(job({ epochs: 5, saveModelTo: join(dir, 'last') }), { loadSplit: async () => split, onEpoch: () => {} });
      const losses = reports.map((r) => r.metrics.val_loss ?? NaN);
      const bestEpoch = losses.indexOf(Math.max(...losses));
      expect(bestEpoch).toBeLessThan(4);
      expect(await savedValLoss(join(dir, 'best'))).toBeCloseTo(losses[bestEpoch] ?? NaN, 5);
      expect(await savedValLoss(join(dir, 'last'))).toBeCloseTo(losses[4] ?? NaN, 5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails as diverged at the epoch the loss broke, after reporting its finite part', async () => {
    const reports: EpochReport[] = [];
    const end = await runTrial(
      job({
        params: { optimizer: 'sgd', learningRate: 1e6, batchSize: 10, lrSchedule: 'constant' },
        model: { type: 'linear', hidden: [], activation: 'relu', dropout: 0 },
        epochs: 20,
      }),
      { loadSplit: async () => linearSplit(), onEpoch: (r) => reports.push(r) },
    );
    expect(end).toMatchObject({ state: 'failed', reason: 'diverged' });
    if (end.state !== 'failed') return;
    expect(end.error).toMatch(/diverged at epoch \d+: loss (NaN|Infinity)/);
    expect(end.epochsRun).toBeLessThan(20);
    for (const r of reports) Object.values(r.metrics).forEach((v) => expect(Number.isFinite(v)).toBe(true));
  });

  it('fails with reason error when the model does not fit the data, and when loading throws', async () => {
    const linearOnClasses = await runTrial(job({ model: { type: 'linear', hidden: [], activation: 'relu', dropout: 0 } }), {
      loadSplit: async () => blobsSplit(),
      onEpoch: () => {},
    });
    expect(linearOnClasses).toMatchObject({ state: 'failed', reason: 'error', epochsRun: 0 });
    const broken = await runTrial(job(), { loadSplit: () => Promise.reject(new Error('disk gone')), onEpoch: () => {} });
    expect(broken).toEqual({ state: 'failed', reason: 'error', error: 'disk gone', epochsRun: 0 });
  });

  it('ends stopped when aborted, keeping only whole epochs', async () => {
    const controller = new AbortController();
    const end = await runTrial(job({ epochs: 50 }), {
      loadSplit: async () => blobsSplit(),
      onEpoch: (r) => {
        if (r.epoch === 1) controller.abort();
      },
      signal: controller.signal,
    });
    expect(end).toEqual({ state: 'stopped', epochsRun: 2 });
  });

  it('waits for the verdict on each epoch of a pruned study and stops at the very epoch pruned', async () => {
    const reports: EpochReport[] = [];
    const asked: number[] = [];
    const end = await runTrial(job({ epochs: 6, awaitsVerdict: true }), {
      loadSplit: async () => blobsSplit(),
      onEpoch: (r) => reports.push(r),
      verdict: async (epoch) => {
        asked.push(epoch);
        // Slower than an epoch: a trainer that did not wait would be epochs ahead by now.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return epoch === 2;
      },
    });
    expect(asked).toEqual([0, 1, 2]);
    expect(reports.map((r) => r.epoch)).toEqual([0, 1, 2]);
    expect(end).toEqual({ state: 'stopped', epochsRun: 3 });
  });
});

describe('SplitCache', () => {
  const info = (fingerprint: string) => ({ key: 'builtin:blobs', rows: 150, fingerprint }) as DatasetInfo;
  const dataset = (fingerprint: string): Dataset => ({
    info: info(fingerprint),
    features: new Float32Array(0),
    target: new Float32Array(0),
  });

  it('loads and splits once for the trials of a study, again when the split changes', async () => {
    let loads = 0;
    let splits = 0;
    const cache = new SplitCache(
      async () => (loads++, dataset('f1')),
      () => (splits++, blobsSplit()),
    );
    const a = await cache.get(job());
    expect(await cache.get(job({ trialId: 2, seed: 9 }))).toBe(a);
    expect([loads, splits]).toEqual([1, 1]);
    await cache.get(job({ splitSeed: 2 }));
    expect([loads, splits]).toEqual([1, 2]);
  });

  it('refuses a dataset whose fingerprint differs from the study', async () => {
    const cache = new SplitCache(async () => dataset('f2'), () => blobsSplit());
    await expect(cache.get(job())).rejects.toMatchObject({ code: 'DATASET_MISMATCH', message: /changed since the study started/ });
  });

  it('ends a trial that meets a changed dataset with reason dataset, which the engine stores as DATASET_CHANGED', async () => {
    const cache = new SplitCache(async () => dataset('f2'), () => blobsSplit());
    const end = await runTrial(job(), { loadSplit: (j) => cache.get(j), onEpoch: () => {} });
    expect(end).toMatchObject({ state: 'failed', reason: 'dataset', epochsRun: 0 });
    const verdict = trialVerdict({ kind: 'ended', end }, [], { number: 0, metric: 'val_loss', direction: 'minimize', isPruning: false, isCancelling: false, endedAt: 1 });
    expect(verdict).toMatchObject({ state: 'failed', errorCode: 'DATASET_CHANGED', error: expect.stringMatching(/changed since the study started/) });
  });
});

describe('openChannel', () => {
  it('speaks fork IPC through process.send and message events', () => {
    const sent: unknown[] = [];
    const listeners: Record<string, (m?: unknown) => void> = {};
    const proc: ChannelProcess = {
      send: (m) => (sent.push(m), true),
      on: (event: string, l: (m?: unknown) => void) => (listeners[event] = l),
    };
    const channel = openChannel(proc);
    const got: ToWorker[] = [];
    channel.onMessage((m) => got.push(m));
    channel.send({ type: 'heartbeat', trialId: null });
    listeners.message?.({ type: 'stop', trialId: 4 });
    expect([channel.kind, sent, got]).toEqual(['fork', [{ type: 'heartbeat', trialId: null }], [{ type: 'stop', trialId: 4 }]]);
  });

  it('speaks Electron parentPort, unwrapping { data }', () => {
    const posted: FromWorker[] = [];
    let onMessage: ((e: { data: unknown }) => void) | undefined;
    const proc: ChannelProcess = {
      parentPort: { on: (_e, l) => (onMessage = l), postMessage: (m) => posted.push(m as FromWorker) },
      on: () => undefined,
    };
    const channel = openChannel(proc);
    const got: ToWorker[] = [];
    channel.onMessage((m) => got.push(m));
    onMessage?.({ data: { type: 'shutdown' } });
    channel.send({ type: 'heartbeat', trialId: 2 });
    expect([channel.kind, got, posted]).toEqual(['utilityProcess', [{ type: 'shutdown' }], [{ type: 'heartbeat', trialId: 2 }]]);
  });

  it('refuses to run without a parent channel', () => {
    expect(() => openChannel({ on: () => undefined })).toThrow(/fork or Electron utilityProcess/);
  });
});
