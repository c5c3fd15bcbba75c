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

async function sweep(name: string, backend: BackendName) {
  const study = await service.studies.create({ spec: spec(name, backend), start: false });
  const outcome = await service.run(study);
  expect(outcome).toEqual({ status: 'done', reason: null });
  const { rows } = await service.trials.page({ study: study.id, limit: 10 });
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
      expect(trial.backendNote).toMatch(/^adapter google swiftshader: SwiftShader driver .*\(software\); forced by TUNEBENCH_BACKEND=webgpu$/);
    }
    expect(onWasm.rows.every((trial) => trial.backend === 'wasm')).toBe(true);
    // iris: 120 train rows, 30 validation rows (validationSplit 0.2).
    onGpu.curves.forEach((curve, index) => expect(metricMismatches(onWasm.curves[index]!, curve, { train: 120, val: 30 })).toEqual([]));
  });
});
