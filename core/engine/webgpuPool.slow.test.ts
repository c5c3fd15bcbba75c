import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendName } from '../api/spec.js';
import { metricMismatches } from '../../tests/support/metricTolerance.js';
import { swiftshaderEnv } from '../../tests/support/swiftshader.js';
import { tempStore } from '../../tests/support/tempStore.js';
import { createTunebenchService, type TunebenchService } from './service.js';

// The forked workers inherit this process's environment: SwiftShader is their only GPU.
Object.assign(process.env, swiftshaderEnv());

const spec = (name: string, backend: BackendName) => `
name: ${name}
dataset: builtin:iris
model: { type: mlp, hidden: [8] }
objective: { metric: val_accuracy, direction: maximize }
epochs: 3
backend: ${backend}
space:
  optimizer: { choice: [adam, sgd] }
  learningRate: 0.05
  batchSize: 32
seed: 4
`;

// The adapter as stored in the trial's own column: Dawn's SwiftShader, its driver in the description.
const swiftshaderAdapter = { vendor: 'google', architecture: 'swiftshader', description: expect.stringMatching(/^SwiftShader driver /), device: expect.any(String), isSoftware: true };

let temp: Awaited<ReturnType<typeof tempStore>>;
let service: TunebenchService;

beforeAll(async () => {
  temp = await tempStore('tunebench-webgpu-');
  service = createTunebenchService({ store: temp.store, workDir: temp.dir });
});
afterAll(async () => {
  await service.close();
  await temp.cleanup();
});

// mnist-small: 200 digits (160 train, 40 validation). One trial of two epochs: SwiftShader runs
// the first convolution (one input channel) slowly, so this is as far as a test can afford.
const cnnSpec = (name: string, backend: BackendName) => `
name: ${name}
dataset: builtin:mnist-small
model: { type: cnn }
objective: { metric: val_accuracy, direction: maximize }
epochs: 2
backend: ${backend}
space:
  optimizer: adam
  learningRate: 0.01
  batchSize: 32
seed: 4
`;

async function sweep(name: string, backend: BackendName, specOf = spec) {
  const study = await service.studies.create({ spec: specOf(name, backend), start: false });
  const outcome = await service.run(study);
  const { rows } = await service.trials.page({ study: study.id, limit: 10 });
  expect(outcome, rows.map((trial) => trial.error).join('\n')).toEqual({ status: 'done', reason: null });
  const points = await service.trials.curves({ trialIds: rows.map((trial) => trial.id) });
  const curves = rows.map((trial) => {
    const byEpoch: Record<string, number>[] = [];
    for (const point of points.filter((p) => p.trialId === trial.id)) (byEpoch[point.epoch] ??= {})[point.name] = point.value;
    return byEpoch;
  });
  return { rows, curves };
}

describe('webgpu forced on SwiftShader through the real worker pool and SQLite', () => {
  it('trains an iris MLP sweep with the metrics wasm gets for the same seeds, recording backend and adapter', async () => {
    const onWasm = await sweep('iris-wasm', 'wasm');
    const onGpu = await sweep('iris-webgpu', 'webgpu');
    expect(onGpu.rows.map((trial) => trial.state)).toEqual(['complete', 'complete']);
    for (const trial of onGpu.rows) {
      expect(trial.backend).toBe('webgpu');
      expect(trial.backendNote).toBe('forced by TUNEBENCH_BACKEND=webgpu');
      expect(trial.adapter).toEqual(swiftshaderAdapter);
    }
    expect(onWasm.rows.every((trial) => trial.backend === 'wasm' && trial.adapter === null)).toBe(true);
    // iris: 120 train rows, 30 validation rows (validationSplit 0.2).
    onGpu.curves.forEach((curve, index) => expect(metricMismatches(onWasm.curves[index]!, curve, { train: 120, val: 30 })).toEqual([]));
  });

  it('trains a mnist CNN with the metrics wasm gets for the same seed', { timeout: 600_000 }, async () => {
    const onWasm = await sweep('mnist-cnn-wasm', 'wasm', cnnSpec);
    const onGpu = await sweep('mnist-cnn-webgpu', 'webgpu', cnnSpec);
    expect(onGpu.rows.map((trial) => [trial.state, trial.backend, trial.epochsRun, trial.adapter])).toEqual([['complete', 'webgpu', 2, swiftshaderAdapter]]);
    expect(onWasm.rows.map((trial) => [trial.state, trial.backend])).toEqual([['complete', 'wasm']]);
    const [wasmCurve, gpuCurve] = [onWasm.curves[0]!, onGpu.curves[0]!];
    expect(metricMismatches(wasmCurve, gpuCurve, { train: 160, val: 40 })).toEqual([]);
    // It learned: the loss fell and the digits are recognised above chance (10%).
    expect(gpuCurve[1]!.loss!).toBeLessThan(gpuCurve[0]!.loss!);
    expect(gpuCurve[1]!.val_accuracy!).toBeGreaterThan(0.3);
  });

  it('without a Vulkan driver trains on wasm and records why webgpu was not used', async () => {
    process.env.VK_ICD_FILENAMES = '/nonexistent/icd.json';
    try {
      const study = await service.studies.create({ spec: spec('iris-no-icd', 'wasm').replace('backend: wasm\n', ''), start: false });
      expect(await service.run(study)).toEqual({ status: 'done', reason: null });
      const { rows } = await service.trials.page({ study: study.id, limit: 10 });
      for (const trial of rows) {
        expect(trial).toMatchObject({ state: 'complete', backend: 'wasm', adapter: null });
        expect(trial.backendNote).toMatch(/webgpu: no adapter \(Linux needs libvulkan1 and a Vulkan driver: see README, GPU\); VK_ICD_FILENAMES=\/nonexistent\/icd.json/);
      }
    } finally {
      Object.assign(process.env, swiftshaderEnv());
    }
  });
});
