import { fork } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerBuildOptions } from '../../scripts/cliBuild.js';
import { swiftshaderEnv } from '../../tests/support/swiftshader.js';
import { loadDataset } from '../data/index.js';
import type { EpochReport, FromWorker, TrialJob } from './protocol.js';
import { workerEntryPath } from './workerEntry.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
let dir = '';
let bundledInputs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tunebench-worker-bundle-'));
  // As in .build/cli: the packages left outside the bundle (webgpu, the .wasm files, datasets) resolve.
  await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
  const result = await build({ ...workerBuildOptions(root, dir), sourcemap: false, metafile: true });
  bundledInputs = Object.keys(result.metafile?.inputs ?? {});
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Forks a worker script, runs one job to its end and returns its backend and epoch metrics. */
async function runJob(script: string, execArgv: string[], job: TrialJob, env: Record<string, string> = { TUNEBENCH_BACKEND: 'wasm' }): Promise<{ backend: string; epochs: EpochReport[]; end: unknown }> {
  const child = fork(script, [], {
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const epochs: EpochReport[] = [];
  try {
    return await new Promise((resolve, reject) => {
      let backend = '';
      child.on('message', (message: FromWorker) => {
        if (message.type === 'ready') {
          backend = message.backend;
          child.send({ type: 'run', job });
        } else if (message.type === 'epoch') epochs.push(message);
        else if (message.type === 'epochs') epochs.push(...message.reports);
        else if (message.type === 'done') resolve({ backend, epochs, end: message.end });
      });
      child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${stderr}`)));
    });
  } finally {
    child.kill('SIGKILL');
  }
}

describe('the compiled trial worker (tfjs folded in)', () => {
  it('holds the lean tfjs set only: no converter, tfjs-data or webgl', () => {
    expect(bundledInputs.some((path) => path.includes('tfjs-core'))).toBe(true);
    expect(bundledInputs.some((path) => path.includes('tfjs-layers'))).toBe(true);
    expect(bundledInputs.filter((path) => /tfjs-(converter|data|backend-webgl)\//.test(path))).toEqual([]);
  });

  it('trains on wasm the same curve as the TypeScript worker for the same seed', async () => {
    const job = await irisJob();
    const bundled = await runJob(join(dir, 'worker.js'), [], job);
    const source = await runJob(workerEntryPath(), ['--import', 'tsx'], job);
    expect(bundled.backend).toBe('wasm');
    expect(bundled.end).toEqual({ state: 'complete', epochsRun: 8 });
    const curve = (run: typeof bundled) => run.epochs.map(({ metrics: { epoch_ms: _ms, ...rest } }) => rest);
    expect(curve(bundled)).toHaveLength(8);
    expect(curve(bundled)).toEqual(curve(source));
  });

  it('trains on webgpu when forced (SwiftShader): its backend package loads from the bundle too', async () => {
    const run = await runJob(join(dir, 'worker.js'), [], await irisJob(), { ...swiftshaderEnv(), TUNEBENCH_BACKEND: 'webgpu' });
    expect(run.backend).toBe('webgpu');
    expect(run.end).toEqual({ state: 'complete', epochsRun: 8 });
  });
});

async function irisJob(): Promise<TrialJob> {
  const datasetFingerprint = (await loadDataset('builtin:iris', dir)).info.fingerprint;
  return {
    trialId: 1,
    number: 1,
    params: { optimizer: 'adam', learningRate: 0.02, batchSize: 16, lrSchedule: 'cosine' },
    seed: 7,
    dataset: 'builtin:iris',
    baseDir: dir,
    datasetFingerprint,
    model: { type: 'mlp', hidden: [16], activation: 'relu', dropout: 0 },
    epochs: 8,
    validationSplit: 0.2,
    splitSeed: 42,
  };
}
