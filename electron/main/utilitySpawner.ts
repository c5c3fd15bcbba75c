import type { Spawner, WorkerHandle } from '../../core/engine/spawner.js';
import type { FromWorker, ToWorker } from '../../core/training/protocol.js';

/** The part of Electron's UtilityProcess the spawner uses. */
export interface UtilityChild {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  postMessage(message: unknown): void;
  on(event: 'spawn', listener: () => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface UtilityForkOptions {
  serviceName: string;
  stdio: 'pipe';
  env: NodeJS.ProcessEnv;
}

export type UtilityFork = (modulePath: string, args: string[], options: UtilityForkOptions) => UtilityChild;

export interface UtilitySpawnerOptions {
  /** `utilityProcess.fork` (a fake in tests). */
  fork: UtilityFork;
  /** The built trial worker (out/main/worker.js). */
  workerScript: string;
  /** Sends a signal by pid; UtilityProcess.kill() only does SIGTERM. Default process.kill. */
  killPid?: (pid: number, signal: NodeJS.Signals) => void;
  /** Where the worker's stdout lines go (default: dropped). */
  onStdout?: (id: string, text: string) => void;
}

const stderrTailBytes = 4000;

function isWorkerMessage(message: unknown): message is FromWorker {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string';
}

/**
 * Spawner for Electron: each worker is a utilityProcess (a Node child Electron manages, with
 * no access to the window), so a crash or OOM in training never takes down the main process.
 */
export function createUtilitySpawner(options: UtilitySpawnerOptions): Spawner {
  const killPid = options.killPid ?? ((pid, signal) => process.kill(pid, signal));
  return {
    spawn(id: string, extraEnv?: Record<string, string>): WorkerHandle {
      const child = options.fork(options.workerScript, [], {
        serviceName: `Tunebench trial worker ${id}`,
        stdio: 'pipe',
        env: { ...process.env, ...extraEnv, TUNEBENCH_WORKER_ID: id },
      });
      // pid turns undefined after exit; keep the last one for the engine's records.
      let pid = child.pid;
      let exit: { code: number | null; signal: string | null } | undefined;
      let requestedSignal: NodeJS.Signals | undefined;
      let tail = '';
      const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
      child.on('spawn', () => {
        pid = child.pid ?? pid;
      });
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        tail = (tail + chunk).slice(-stderrTailBytes);
      });
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => options.onStdout?.(id, chunk));
      child.on('exit', (code) => {
        // Electron reports only a code; a signal we sent ourselves is named so a timeout or
        // cancel reads as such. A clean exit after SIGTERM stays a clean exit.
        exit = { code, signal: code !== 0 && requestedSignal ? requestedSignal : null };
        for (const listener of exitListeners.splice(0)) listener(exit.code, exit.signal);
      });
      return {
        id,
        get pid() {
          return child.pid ?? pid;
        },
        send(message: ToWorker) {
          if (!exit) child.postMessage(message);
        },
        onMessage(listener) {
          child.on('message', (message) => {
            if (isWorkerMessage(message)) listener(message);
          });
        },
        onExit(listener) {
          const done = exit;
          if (done) queueMicrotask(() => listener(done.code, done.signal));
          else exitListeners.push(listener);
        },
        stderrTail: () => tail,
        kill(signal: NodeJS.Signals = 'SIGTERM') {
          if (exit) return;
          requestedSignal = signal;
          const target = child.pid ?? pid;
          if (signal !== 'SIGTERM' && target !== undefined) {
            try {
              killPid(target, signal);
              return;
            } catch {
              // Already gone or not ours: fall back to Electron's own kill.
            }
          }
          child.kill();
        },
      };
    },
  };
}
