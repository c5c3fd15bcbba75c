import { describe, expect, it } from 'vitest';
import { runCli } from '../../tests/support/cli.js';
import { swiftshaderEnv } from '../../tests/support/swiftshader.js';
import type { DoctorReport } from '../training/doctor.js';

describe('tunebench doctor', () => {
  it('lists the software GPU adapter with its figures, labelled, and picks wasm over it', () => {
    const result = runCli(['doctor', '--json', '--budget-ms', '1', '--backend', 'tensorflow', 'webgpu', 'wasm'], { env: swiftshaderEnv() });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as DoctorReport;
    const [tensorflow, webgpu, wasm] = report.backends;
    expect(tensorflow).toMatchObject({ backend: 'tensorflow', isAvailable: false, reason: expect.stringMatching(/tfjs-node-gpu: not installed/) });
    expect(webgpu).toMatchObject({ backend: 'webgpu', isAvailable: true, adapter: { vendor: 'google', architecture: 'swiftshader', isSoftware: true } });
    expect(webgpu!.adapter!.description).toMatch(/SwiftShader driver/);
    for (const entry of [webgpu!, wasm!]) {
      expect(entry.mlpStepsPerSecond).toBeGreaterThan(0);
      expect(entry.cnnStepsPerSecond).toBeGreaterThan(0);
    }
    expect(report.picked.backend).toBe('wasm');
    expect(report.picked.note).toMatch(/webgpu: only a software adapter/);
  });

  it('without a Vulkan driver says why webgpu is missing and still trains on wasm', () => {
    const result = runCli(['doctor', '--budget-ms', '1', '--backend', 'webgpu', 'wasm'], { env: { ...swiftshaderEnv(), VK_ICD_FILENAMES: '/nonexistent/icd.json' } });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/webgpu\s+no\s+webgpu: no adapter \(Linux needs libvulkan1 and a Vulkan driver/);
    expect(result.stdout).toMatch(/wasm\s+yes/);
    expect(result.stdout).toMatch(/a trial here runs on wasm \(.*webgpu: no adapter/);
  });
});
