import { fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromWorker, ToWorker } from '../core/training/protocol.js';

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

/**
 * Median wall time from fork to a trial worker's 'ready' (backend chosen), for each script,
 * measured in interleaved rounds so load on a shared machine hits each alike.
 */
export async function workerReadyMs(scripts: string[], runs = 5): Promise<number[]> {
  const times = scripts.map((): number[] => []);
  for (let run = 0; run < runs; run += 1) {
    for (const [index, script] of scripts.entries()) times[index]!.push(await forkToReady(script));
  }
  return times.map((values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!);
}

async function forkToReady(script: string): Promise<number> {
  const started = performance.now();
  const child = fork(script, [], {
    execArgv: script.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [],
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    serialization: 'advanced',
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    child.on('message', (message: FromWorker) => message.type === 'ready' && resolve());
    child.once('exit', (code) => reject(new Error(`worker ${script} exited ${code} before ready`)));
  });
  const ms = performance.now() - started;
  child.send({ type: 'shutdown' } satisfies ToWorker);
  await exited;
  return ms;
}
