/**
 * WebGPU through Dawn's Node binding (the `webgpu` package): Vulkan on Linux, Metal on macOS,
 * D3D12 on Windows, any vendor. The binding is an N-API addon, so the same code runs in a forked
 * Node worker and in Electron's utilityProcess. Loaded only inside trial workers (and doctor),
 * never in the app's main process.
 */

import * as tf from './tf.js';
import { describeAdapter, type GpuAdapter } from '../api/doctor.js';

export { describeAdapter, type GpuAdapter };

type WebgpuModule = typeof import('@tensorflow/tfjs-backend-webgpu');

export type GpuProbe = { adapter: GpuAdapter; gpuAdapter: GPUAdapter } | { reason: string };

const softwareNames = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

export function adapterOf(gpuAdapter: GPUAdapter): GpuAdapter {
  const info = gpuAdapter.info;
  const flags = info as GPUAdapterInfo & { isFallbackAdapter?: boolean; type?: string };
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  const isSoftware =
    flags.isFallbackAdapter === true ||
    (gpuAdapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
    flags.type === 'cpu' ||
    softwareNames.test(text);
  return { vendor: info.vendor, architecture: info.architecture, description: info.description, device: info.device, isSoftware };
}

let gpu: Promise<GPU> | null = null;

/** Loads dawn.node once and installs navigator.gpu (Node 20 has no navigator) and the GPU* globals. */
function loadGpu(): Promise<GPU> {
  gpu ??= (async () => {
    const { create, globals } = await import('webgpu');
    Object.assign(globalThis, globals);
    const instance = create([]);
    const scope = globalThis as { navigator?: { gpu?: GPU } };
    if (scope.navigator) Object.defineProperty(scope.navigator, 'gpu', { value: instance, configurable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu: instance }, configurable: true, writable: true });
    return instance;
  })();
  return gpu;
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/**
 * Finds the best adapter Dawn offers. On Linux that needs libvulkan plus a Vulkan driver (ICD);
 * the reason says so when none is found.
 */
export async function probeGpu(): Promise<GpuProbe> {
  let instance: GPU;
  try {
    instance = await loadGpu();
  } catch (error) {
    return { reason: `webgpu: cannot load Dawn (${reasonOf(error)})` };
  }
  const gpuAdapter = await instance.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (!gpuAdapter) {
    const hint = process.platform === 'linux' ? ' (Linux needs libvulkan1 and a Vulkan driver: see README, GPU)' : '';
    const icd = process.env.VK_ICD_FILENAMES ? `; VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES}` : '';
    return { reason: `webgpu: no adapter${hint}${icd}` };
  }
  return { adapter: adapterOf(gpuAdapter), gpuAdapter };
}

/** What went wrong on the device: set once, read by the worker after each epoch and trial. */
export interface GpuFault {
  kind: 'device-lost' | 'out-of-memory' | 'gpu-error';
  message: string;
}

let device: GPUDevice | null = null;
let fault: GpuFault | null = null;
const faultListeners = new Set<(fault: GpuFault) => void>();

function raise(next: GpuFault): void {
  fault ??= next;
  for (const listener of faultListeners) listener(next);
}

/** Called on the first device loss or GPU out-of-memory error; returns an unsubscribe function. */
export function onGpuFault(listener: (fault: GpuFault) => void): () => void {
  faultListeners.add(listener);
  return () => faultListeners.delete(listener);
}

export function gpuFault(): GpuFault | null {
  return fault;
}

/**
 * Registers tfjs's webgpu backend on this adapter's device (not on whatever adapter tfjs would
 * pick itself), watching for device loss and uncaptured errors (out of memory among them).
 */
export async function registerWebgpu(gpuAdapter: GPUAdapter): Promise<void> {
  if (tf.findBackendFactory('webgpu') && device) return;
  const loaded: WebgpuModule & { default?: WebgpuModule } = await import('@tensorflow/tfjs-backend-webgpu');
  // In the compiled worker (a bundle) this CommonJS package arrives as the default export only.
  const { WebGPUBackend } = typeof loaded.WebGPUBackend === 'function' ? loaded : (loaded.default ?? loaded);
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', async () => {
    const limits = gpuAdapter.limits;
    device = await gpuAdapter.requestDevice({
      requiredLimits: {
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      },
    });
    void device.lost.then((info) => raise({ kind: 'device-lost', message: `GPU device lost (${info.reason}): ${info.message}` }));
    device.addEventListener('uncapturederror', (event) => {
      const error = (event as GPUUncapturedErrorEvent).error;
      const isOom = error.constructor.name === 'GPUOutOfMemoryError';
      raise({ kind: isOom ? 'out-of-memory' : 'gpu-error', message: `GPU ${isOom ? 'out of memory' : 'error'}: ${error.message.split('\n')[0]}` });
    });
    return new WebGPUBackend(device, gpuAdapter.info);
  }, 1);
}

/**
 * Frees the buffers tfjs-webgpu pools for reuse once a trial's tensors are gone, so a worker holds
 * at most one trial's peak on the device, not the sum of every shape it has seen.
 */
export function releasePooledGpuBuffers(): void {
  if (tf.getBackend() !== 'webgpu') return;
  const backend = tf.backend() as unknown as { bufferManager?: { freeBuffers: Map<string, GPUBuffer[]>; numFreeBuffers: number; numBytesAllocated: number } };
  const manager = backend.bufferManager;
  if (!manager) return;
  for (const buffers of manager.freeBuffers.values()) {
    for (const buffer of buffers.splice(0)) {
      manager.numBytesAllocated -= buffer.size;
      buffer.destroy();
    }
  }
  manager.numFreeBuffers = 0;
}
