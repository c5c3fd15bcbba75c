import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import * as tf from './tf.js';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TunebenchError } from '../api/errors.js';
import { backendNames, type BackendName } from '../api/backendNames.js';
import { registerWasmTrainingKernels } from './wasmKernels.js';
import { describeAdapter, probeGpu, registerWebgpu, type GpuAdapter } from './webgpuBackend.js';

export { backendNames, type BackendName };

export interface BackendChoice {
  /** tf.getBackend() after the choice: 'tensorflow', 'wasm' or 'cpu'. */
  backend: string;
  /** Why a faster backend was not used (or that the choice was forced); null when none was skipped. */
  note: string | null;
  /** The GPU adapter when the backend is webgpu, else null. */
  adapter: GpuAdapter | null;
}

// Tried in order; the GPU build first because it also runs on a machine without CUDA.
const nativePackages = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

let isWasmPathSet = false;

/**
 * The directory holding tfjs-backend-wasm's .wasm files, as a file path (never a URL). Inside a
 * packaged app the files must be asarUnpack'ed, so an app.asar path is mapped to app.asar.unpacked.
 */
export function wasmDir(): string {
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  const unpacked = dir.replace(`app.asar${sep}`, `app.asar.unpacked${sep}`);
  return unpacked !== dir && existsSync(unpacked) ? unpacked : dir;
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

async function tryNative(): Promise<string | null> {
  const reasons: string[] = [];
  for (const name of nativePackages) {
    try {
      // A variable specifier: the packages are optional and have no types here.
      const specifier: string = name;
      await import(specifier);
      if (await tf.setBackend('tensorflow')) return null;
      reasons.push(`${name}: backend did not initialise`);
    } catch (error) {
      const isMissing = (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
      reasons.push(`${name}: ${isMissing ? 'not installed' : firstLine(error)}`);
    }
  }
  return reasons.join('; ');
}

async function tryWasm(): Promise<string | null> {
  try {
    if (!isWasmPathSet) {
      setWasmPaths(wasmDir() + sep);
      isWasmPathSet = true;
    }
    if (!(await tf.setBackend('wasm'))) return 'wasm: backend did not initialise';
    registerWasmTrainingKernels();
    return null;
  } catch (error) {
    return `wasm: ${firstLine(error)}`;
  }
}

/** webgpu on the best adapter; a software one only when `allowSoftware` (forced). */
async function tryWebgpu(allowSoftware: boolean): Promise<{ adapter: GpuAdapter } | { reason: string }> {
  const probe = await probeGpu();
  if ('reason' in probe) return probe;
  if (probe.adapter.isSoftware && !allowSoftware) {
    return { reason: `webgpu: only a software adapter (${describeAdapter(probe.adapter)}), used only when forced` };
  }
  try {
    await registerWebgpu(probe.gpuAdapter);
    if (!(await tf.setBackend('webgpu'))) return { reason: 'webgpu: backend did not initialise' };
    return { adapter: probe.adapter };
  } catch (error) {
    return { reason: `webgpu: ${firstLine(error)}` };
  }
}

function forcedBackend(env: NodeJS.ProcessEnv): BackendName | null {
  const value = env.TUNEBENCH_BACKEND?.trim();
  if (!value) return null;
  if ((backendNames as readonly string[]).includes(value)) return value as BackendName;
  throw new TunebenchError(
    'ARGUMENT_INVALID',
    `TUNEBENCH_BACKEND=${value} is not one of ${backendNames.join(', ')}`,
    [{ where: 'TUNEBENCH_BACKEND', message: 'unknown backend' }],
  );
}

/**
 * Picks the fastest backend that works: native TensorFlow (tfjs-node-gpu, then tfjs-node), webgpu
 * on a hardware adapter, wasm, then cpu. `forced` (the spec's or sweep's backend) or else
 * TUNEBENCH_BACKEND forces one, software GPU adapters included, and fails loudly when it cannot
 * start. Safe to call more than once in a process.
 */
export async function chooseBackend(env: NodeJS.ProcessEnv = process.env): Promise<BackendChoice> {
  // PROD silences tfjs's console banners ("install tfjs-node") in workers and tests.
  tf.enableProdMode();
  const forced = forcedBackend(env);
  if (forced) {
    let reason: string | null = null;
    let adapter: GpuAdapter | null = null;
    if (forced === 'tensorflow') reason = await tryNative();
    else if (forced === 'wasm') reason = await tryWasm();
    else if (forced === 'webgpu') {
      const result = await tryWebgpu(true);
      if ('reason' in result) reason = result.reason;
      else adapter = result.adapter;
    } else if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed');
    if (reason !== null) {
      throw new TunebenchError('ARGUMENT_INVALID', `TUNEBENCH_BACKEND=${forced} failed: ${reason}`);
    }
    return { backend: tf.getBackend(), note: `forced by TUNEBENCH_BACKEND=${forced}`, adapter };
  }
  const reasons: string[] = [];
  const nativeReason = await tryNative();
  if (nativeReason === null) return { backend: tf.getBackend(), note: null, adapter: null };
  reasons.push(nativeReason);
  const webgpu = await tryWebgpu(false);
  if (!('reason' in webgpu)) return { backend: tf.getBackend(), note: reasons.join('; '), adapter: webgpu.adapter };
  reasons.push(webgpu.reason);
  const wasmReason = await tryWasm();
  if (wasmReason === null) return { backend: tf.getBackend(), note: reasons.join('; '), adapter: null };
  reasons.push(wasmReason);
  await tf.setBackend('cpu');
  return { backend: tf.getBackend(), note: reasons.join('; '), adapter: null };
}
