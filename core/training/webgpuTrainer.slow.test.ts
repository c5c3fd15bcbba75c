import * as tf from './tf.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricMismatches } from '../../tests/support/metricTolerance.js';
import { swiftshaderEnv } from '../../tests/support/swiftshader.js';
import { blobsSplit, tinyImagesSplit } from '../../tests/support/syntheticSplits.js';
import type { DatasetSplit } from '../data/dataset.js';
import { chooseBackend } from './backend.js';
import type { TrialJob } from './protocol.js';
import { runTrial } from './runTrial.js';
import { gpuFault, releasePooledGpuBuffers } from './webgpuBackend.js';

const job = (extra: Partial<TrialJob> = {}): TrialJob => ({
  trialId: 1,
  number: 0,
  params: { optimizer: 'adam', learningRate: 0.05, batchSize: 32, lrSchedule: 'cosine' },
  seed: 3,
  dataset: 'builtin:blobs',
  baseDir: '/',
  datasetFingerprint: 'f1',
  model: { type: 'mlp', hidden: [8], activation: 'relu', dropout: 0 },
  epochs: 2,
  validationSplit: 0.2,
  splitSeed: 1,
  ...extra,
});

async function curves(trial: TrialJob, split: DatasetSplit): Promise<Record<string, number>[]> {
  const metrics: Record<string, number>[] = [];
  const end = await runTrial(trial, { loadSplit: async () => split, onEpoch: (report) => metrics.push(report.metrics) });
  expect(end).toEqual({ state: 'complete', epochsRun: trial.epochs });
  return metrics;
}

beforeAll(() => {
  // Before Dawn loads: the Vulkan loader reads these once.
  Object.assign(process.env, swiftshaderEnv());
});

afterAll(async () => {
  await chooseBackend({ TUNEBENCH_BACKEND: 'wasm' });
});

describe('webgpu on a software adapter (SwiftShader)', () => {
  it('is never picked on its own: auto choice falls back to wasm and says why', async () => {
    const choice = await chooseBackend({});
    expect(choice.backend).toBe('wasm');
    expect(choice.adapter).toBeNull();
    expect(choice.note).toMatch(/webgpu: only a software adapter \(google swiftshader: SwiftShader driver .*\(software\)\), used only when forced/);
  });

  it('trains when forced, with metrics matching wasm for the same seed and exact tensor lifetimes', async () => {
    const split = blobsSplit();
    const rows = { train: split.trainRows, val: split.valRows };
    await chooseBackend({ TUNEBENCH_BACKEND: 'wasm' });
    const onWasm = await curves(job(), split);

    const choice = await chooseBackend({ TUNEBENCH_BACKEND: 'webgpu' });
    expect(choice).toMatchObject({ backend: 'webgpu', note: 'forced by TUNEBENCH_BACKEND=webgpu' });
    expect(choice.adapter).toMatchObject({ vendor: 'google', architecture: 'swiftshader', isSoftware: true });
    const tensorsBefore = tf.memory().numTensors;
    const onGpu = await curves(job(), split);
    expect(metricMismatches(onWasm, onGpu, rows)).toEqual([]);
    expect(onGpu[1]!.loss!).toBeLessThan(onGpu[0]!.loss!);
    // Exact lifetimes: no tensor and no in-use GPU byte outlives the trial.
    const memory = tf.memory() as tf.MemoryInfo & { numBytesInGPU: number; numBytesAllocatedInGPU: number };
    expect(memory.numTensors).toBe(tensorsBefore);
    expect(memory.numBytesInGPU).toBe(0);
    // The pool tfjs keeps for reuse is handed back between trials.
    expect(memory.numBytesAllocatedInGPU).toBeGreaterThan(0);
    releasePooledGpuBuffers();
    expect((tf.memory() as typeof memory).numBytesAllocatedInGPU).toBe(0);
    // And the next trial still trains after the pool was released.
    expect(metricMismatches(onWasm, await curves(job(), split), rows)).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('trains a small CNN within tolerance of wasm', async () => {
    const split = tinyImagesSplit();
    const cnn = job({ model: { type: 'cnn', hidden: [], activation: 'relu', dropout: 0 }, params: { optimizer: 'sgd', learningRate: 0.05, batchSize: 16, lrSchedule: 'constant' } });
    await chooseBackend({ TUNEBENCH_BACKEND: 'wasm' });
    const onWasm = await curves(cnn, split);
    await chooseBackend({ TUNEBENCH_BACKEND: 'webgpu' });
    const tensorsBefore = tf.memory().numTensors;
    const onGpu = await curves(cnn, split);
    expect(metricMismatches(onWasm, onGpu, { train: split.trainRows, val: split.valRows })).toEqual([]);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('reports a lost device as a fault with its reason', async () => {
    await chooseBackend({ TUNEBENCH_BACKEND: 'webgpu' });
    expect(gpuFault()).toBeNull();
    const backend = tf.backend() as unknown as { device: GPUDevice };
    backend.device.destroy();
    await backend.device.lost;
    expect(gpuFault()).toMatchObject({ kind: 'device-lost', message: expect.stringMatching(/^GPU device lost \(destroyed\)/) });
  });
});
