import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DoctorReport } from '../core/api/doctor.js';
import { describeAdapter } from '../core/training/webgpuBackend.js';
import { swiftshaderEnv } from '../tests/support/swiftshader.js';

const binPath = fileURLToPath(new URL('../bin/tunebench.js', import.meta.url));

/**
 * `tunebench doctor` in a fresh process, measured for real. SwiftShader, when installed, is added
 * to the Vulkan drivers (VK_ADD_DRIVER_FILES, not VK_ICD_FILENAMES, so a real GPU still wins):
 * on a CPU-only box the webgpu row then reads SwiftShader and says so.
 */
export function backendThroughput(budgetMs = 2000): { figure: string; value: string; target: string; ok: null }[] {
  let extraEnv: Record<string, string> = {};
  try {
    const { VK_ICD_FILENAMES, XDG_RUNTIME_DIR } = swiftshaderEnv();
    extraEnv = { VK_ADD_DRIVER_FILES: VK_ICD_FILENAMES!, XDG_RUNTIME_DIR: XDG_RUNTIME_DIR! };
  } catch {
    // No SwiftShader here: the webgpu row shows the machine's own adapter, or why there is none.
  }
  const out = execFileSync(process.execPath, [binPath, 'doctor', '--json', '--budget-ms', String(budgetMs)], {
    env: { ...process.env, ...extraEnv },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 20,
  });
  const report = JSON.parse(out) as DoctorReport;
  const wasm = report.backends.find((entry) => entry.backend === 'wasm');
  const ratio = (value: number | null, base: number | null | undefined) => (value !== null && base ? ` (${(value / base).toFixed(2)}x wasm)` : '');
  return report.backends.map((entry) => {
    const label = entry.adapter ? `${entry.backend} on ${describeAdapter(entry.adapter)}` : entry.backend;
    const value = entry.isAvailable
      ? `MLP ${entry.mlpStepsPerSecond!.toFixed(1)}/s${ratio(entry.mlpStepsPerSecond, wasm?.mlpStepsPerSecond)}, CNN ${entry.cnnStepsPerSecond!.toFixed(1)}/s${ratio(entry.cnnStepsPerSecond, wasm?.cnnStepsPerSecond)}`
      : `not available: ${entry.reason}`;
    return { figure: `training steps/s, ${label}`, value, target: 'info', ok: null };
  });
}
