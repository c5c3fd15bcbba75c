import { describe, expect, it } from 'vitest';
import { runCli } from '../../tests/support/cli.js';
import { swiftshaderEnv } from '../../tests/support/swiftshader.js';
import type { DoctorReport } from '../api/doctor.js';
import { createDispatcher } from '../api/dispatch.js';
import { createTunebenchService } from '../engine/service.js';
import { tempStore } from '../../tests/support/tempStore.js';

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

describe('system.doctor (the app panel\'s call)', () => {
  it('runs in a worker process through the service and the shared dispatcher', async () => {
    const temp = await tempStore('tunebench-doctor-');
    const saved = process.env.VK_ICD_FILENAMES;
    process.env.VK_ICD_FILENAMES = '/nonexistent/icd.json';
    const service = createTunebenchService({ store: temp.store, workDir: temp.dir });
    try {
      const response = await createDispatcher(service)('system.doctor', { budgetMs: 1 });
      expect(response.ok).toBe(true);
      const report = (response as { value: DoctorReport }).value;
      expect(report.backends.map((entry) => [entry.backend, entry.isAvailable])).toEqual([['tensorflow', false], ['webgpu', false], ['wasm', true], ['cpu', true]]);
      expect(report.backends[1]!.reason).toMatch(/no adapter/);
      expect(report.picked.backend).toBe('wasm');
      const refused = await createDispatcher(service)('system.doctor', { budgetMs: 0 });
      expect(refused).toMatchObject({ ok: false, error: { code: 'ARGUMENT_INVALID' } });
    } finally {
      if (saved === undefined) delete process.env.VK_ICD_FILENAMES;
      else process.env.VK_ICD_FILENAMES = saved;
      await service.close();
      await temp.cleanup();
    }
  });
});
