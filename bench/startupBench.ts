import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/tunebench.js', import.meta.url));

/** Median wall time of `tunebench --help`, from the compiled build (or the sources when forced). */
export function helpStartupMs(options: { fromSource: boolean; runs?: number }): number {
  const times: number[] = [];
  for (let run = 0; run < (options.runs ?? 5); run += 1) {
    const started = performance.now();
    const result = spawnSync(process.execPath, [bin, '--help'], {
      env: { ...process.env, ...(options.fromSource ? { TUNEBENCH_FROM_SOURCE: '1' } : {}) },
      stdio: 'ignore',
    });
    if (result.status !== 0) throw new Error(`tunebench --help exited ${result.status}`);
    times.push(performance.now() - started);
  }
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}
