import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freshWorkerBuild } from '../../scripts/cliBuild.js';
import type { FromWorker, ToWorker } from '../training/protocol.js';
import type { Spawner, WorkerHandle } from './spawner.js';

const stderrTailBytes = 4000;

/**
 * The worker script: the built .js beside the bundle when present; from the sources, the compiled
 * worker while it is fresh (.build/cli), else the TypeScript source.
 */
export function defaultWorkerScript(): string {
  const built = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (existsSync(built)) return built;
  return freshWorkerBuild(fileURLToPath(new URL('../../', import.meta.url))) ?? fileURLToPath(new URL('../training/worker.ts', import.meta.url));
}

/** A worker's JS heap cap, so one runaway trial fails as `oom` instead of starving the machine. */
export const defaultWorkerHeapMb = 4096;

/** Starts workers with child_process.fork; TypeScript sources run through tsx. */
export function createForkSpawner(
  options: { script?: string; execArgv?: string[]; env?: NodeJS.ProcessEnv; heapLimitMb?: number } = {},
): Spawner {
  const script = options.script ?? defaultWorkerScript();
  // tsx resolved from here, not from the working directory, so a sweep runs from any folder.
  const execArgv = [
    ...(options.execArgv ?? (script.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [])),
    `--max-old-space-size=${options.heapLimitMb ?? (Number(process.env.TUNEBENCH_WORKER_HEAP_MB) || defaultWorkerHeapMb)}`,
  ];
  return {
    spawn(id: string, extraEnv?: Record<string, string>): WorkerHandle {
      const child = fork(script, [], {
        execArgv,
        env: { ...process.env, ...options.env, ...extraEnv, TUNEBENCH_WORKER_ID: id },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        serialization: 'advanced',
      });
      let tail = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        tail = (tail + chunk).slice(-stderrTailBytes);
      });
      return {
        id,
        pid: child.pid,
        send(message: ToWorker) {
          if (child.connected) child.send(message);
        },
        onMessage(listener) {
          child.on('message', (message) => listener(message as FromWorker));
        },
        onExit(listener) {
          child.once('exit', (code, signal) => listener(code, signal));
        },
        stderrTail: () => tail,
        kill(signal: NodeJS.Signals = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        },
      };
    },
  };
}
