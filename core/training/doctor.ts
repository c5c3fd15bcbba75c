import type { ModelSpec, TrialParams } from '../api/spec.js';
import { backendNames, type BackendName } from '../api/backendNames.js';
import type { DatasetSplit } from '../data/dataset.js';
import type { BackendReport, DoctorReport } from '../api/doctor.js';
import { chooseBackend } from './backend.js';
import { TfjsTrainer } from './tfjsTrainer.js';

/** The fixed benchmark: a 64-128-10 MLP at batch 64, and the cnn model on 16x16x1 images at batch 32. */
export const benchmarkModels = {
  mlp: { rows: 512, features: 64, shape: null, model: { type: 'mlp', hidden: [128], activation: 'relu', dropout: 0 }, batchSize: 64 },
  cnn: { rows: 48, features: 256, shape: [16, 16, 1], model: { type: 'cnn', hidden: [], activation: 'relu', dropout: 0 }, batchSize: 32 },
} as const satisfies Record<string, { rows: number; features: number; shape: [number, number, number] | null; model: ModelSpec; batchSize: number }>;

const classes = 10;

/** Seeded noise with a learnable label: the figures measure speed, not accuracy. */
function benchmarkSplit(kind: keyof typeof benchmarkModels): DatasetSplit {
  const { rows, features, shape } = benchmarkModels[kind];
  let state = 12345;
  const next = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const x = Float32Array.from({ length: rows * features }, next);
  const y = Float32Array.from({ length: rows }, (_, row) => Math.floor((x[row * features] ?? 0) * classes));
  const valRows = 16;
  return {
    featureCount: features,
    classCount: classes,
    task: 'classification',
    imageShape: shape ? [...shape] : null,
    trainX: x.slice(0, (rows - valRows) * features),
    trainY: y.slice(0, rows - valRows),
    valX: x.slice((rows - valRows) * features),
    valY: y.slice(rows - valRows),
    trainRows: rows - valRows,
    valRows,
  };
}

/**
 * Steps per second of the trainer itself (the path every trial takes) on one fixed model: one
 * warm-up epoch (kernel and shader compilation), then whole epochs until `budgetMs` has passed.
 */
export async function stepsPerSecond(kind: keyof typeof benchmarkModels, budgetMs: number): Promise<number> {
  const { model, batchSize } = benchmarkModels[kind];
  const split = benchmarkSplit(kind);
  const params: TrialParams = { optimizer: 'adam', learningRate: 0.001, batchSize, lrSchedule: 'constant' };
  const trainer = new TfjsTrainer();
  const maxEpochs = 1000;
  try {
    trainer.build(params, model, split, 1, maxEpochs);
    await trainer.runEpoch(0);
    let steps = 0;
    const started = performance.now();
    for (let epoch = 1; epoch < maxEpochs && performance.now() - started < budgetMs; epoch++) {
      steps += (await trainer.runEpoch(epoch)).batches;
    }
    return steps / ((performance.now() - started) / 1000);
  } finally {
    trainer.dispose();
  }
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // "TUNEBENCH_BACKEND=webgpu failed: webgpu: no adapter ..." -> "webgpu: no adapter ..."
  return text.replace(/^TUNEBENCH_BACKEND=\w+ failed: /, '');
}

/**
 * Tries every backend in this process, fastest first, and times each that starts (software GPU
 * adapters included, labelled by their adapter). Leaves the process on the backend a trial
 * would pick. Meant for a process of its own: `tunebench doctor`, the bench, the app's panel worker.
 */
export async function runDoctor(options: { budgetMs?: number; backends?: readonly BackendName[] } = {}): Promise<DoctorReport> {
  const budgetMs = options.budgetMs ?? 1000;
  const reports: BackendReport[] = [];
  for (const backend of options.backends ?? backendNames) {
    try {
      const choice = await chooseBackend({ TUNEBENCH_BACKEND: backend });
      const mlp = await stepsPerSecond('mlp', budgetMs);
      const cnn = await stepsPerSecond('cnn', budgetMs);
      reports.push({ backend, isAvailable: true, reason: null, adapter: choice.adapter, mlpStepsPerSecond: mlp, cnnStepsPerSecond: cnn });
    } catch (error) {
      reports.push({ backend, isAvailable: false, reason: reasonOf(error), adapter: null, mlpStepsPerSecond: null, cnnStepsPerSecond: null });
    }
  }
  const { backend, note } = await chooseBackend({ ...process.env, TUNEBENCH_BACKEND: '' });
  return { backends: reports, picked: { backend, note } };
}
