import { describe, expect, it } from 'vitest';
import { adapterOf, describeAdapter } from './webgpuBackend.js';

/** An adapter as Dawn hands it over: only `info` (and maybe the old isFallbackAdapter) is read. */
const adapter = (info: Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean; type?: string }) =>
  ({ info: { vendor: '', architecture: '', device: '', description: '', ...info } }) as unknown as GPUAdapter;

describe('adapterOf: software adapters are never picked on their own', () => {
  it.each([
    ['SwiftShader', { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' }],
    ['llvmpipe', { vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' }],
    ['lavapipe', { vendor: 'mesa', description: 'Mesa 22.3.6 (lavapipe)' }],
    ['WARP', { vendor: 'microsoft', description: 'Microsoft Basic Render Driver' }],
    ['a fallback adapter', { vendor: 'acme', description: 'Acme GPU', isFallbackAdapter: true }],
    ['an adapter of type cpu', { vendor: 'acme', description: 'Acme', type: 'cpu' }],
  ])('%s is software', (_, info) => {
    expect(adapterOf(adapter(info)).isSoftware).toBe(true);
  });

  it.each([
    ['NVIDIA', { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA: 535.183.01', device: 'NVIDIA GeForce RTX 3060' }],
    ['AMD', { vendor: 'amd', architecture: 'rdna-2', description: 'radv Mesa 23.1' }],
    ['Apple', { vendor: 'apple', architecture: 'common-3', description: 'Apple M2' }],
  ])('%s is hardware', (_, info) => {
    expect(adapterOf(adapter(info)).isSoftware).toBe(false);
  });

  it('describes vendor, architecture, driver and chip on one line', () => {
    const nvidia = adapterOf(adapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA: 535.183.01', device: 'RTX 3060' }));
    expect(describeAdapter(nvidia)).toBe('nvidia ampere: NVIDIA: 535.183.01, RTX 3060');
    expect(describeAdapter(adapterOf(adapter({ vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader driver 5.0.0' })))).toBe(
      'google swiftshader: SwiftShader driver 5.0.0 (software)',
    );
  });
});
