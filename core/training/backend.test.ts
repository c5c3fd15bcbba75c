import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from './tf.js';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseBackend, wasmDir } from './backend.js';

// A machine without a Vulkan driver: Dawn is loaded lazily, so this holds for the whole file.
const missingIcd = join(tmpdir(), 'tunebench-no-such-icd.json');
process.env.VK_ICD_FILENAMES = missingIcd;

afterAll(async () => {
  await chooseBackend({});
});

describe('chooseBackend', () => {
  it('falls back from native TensorFlow to wasm here, saying why', async () => {
    const choice = await chooseBackend({});
    expect(choice.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(choice.note).toMatch(/@tensorflow\/tfjs-node-gpu: not installed; @tensorflow\/tfjs-node: not installed; webgpu: no adapter/);
    expect(choice.note).toContain(`VK_ICD_FILENAMES=${missingIcd}`);
    expect(choice.adapter).toBeNull();
    // And wasm really computes.
    expect(Array.from(tf.tidy(() => tf.square(tf.tensor1d([1, 2, 3])).dataSync()))).toEqual([1, 4, 9]);
  });

  it('finds the wasm binaries in a real directory, not a URL', () => {
    const dir = wasmDir();
    expect(dir.startsWith('/') || /^[A-Z]:\\/.test(dir)).toBe(true);
    expect(existsSync(join(dir, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
  });

  it('obeys TUNEBENCH_BACKEND', async () => {
    expect(await chooseBackend({ TUNEBENCH_BACKEND: 'cpu' })).toEqual({
      backend: 'cpu',
      note: 'forced by TUNEBENCH_BACKEND=cpu',
      adapter: null,
    });
    expect((await chooseBackend({ TUNEBENCH_BACKEND: 'wasm' })).backend).toBe('wasm');
  });

  it('fails loudly when the forced backend cannot start or is unknown', async () => {
    await expect(chooseBackend({ TUNEBENCH_BACKEND: 'tensorflow' })).rejects.toMatchObject({
      code: 'ARGUMENT_INVALID',
      message: expect.stringMatching(/TUNEBENCH_BACKEND=tensorflow failed: .*not installed/),
    });
    await expect(chooseBackend({ TUNEBENCH_BACKEND: 'gpu' })).rejects.toMatchObject({
      code: 'ARGUMENT_INVALID',
      message: expect.stringMatching(/not one of tensorflow, webgpu, wasm, cpu/),
    });
    // Forcing webgpu with no driver fails loudly instead of silently training elsewhere.
    await expect(chooseBackend({ TUNEBENCH_BACKEND: 'webgpu' })).rejects.toMatchObject({
      message: expect.stringMatching(/TUNEBENCH_BACKEND=webgpu failed: webgpu: no adapter/),
    });
  });
});
