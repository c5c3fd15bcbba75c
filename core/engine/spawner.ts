import type { FromWorker, ToWorker } from '../training/protocol.js';

/** A live worker process as the engine sees it, whatever started it. */
export interface WorkerHandle {
  readonly id: string;
  readonly pid: number | undefined;
  send(message: ToWorker): void;
  onMessage(listener: (message: FromWorker) => void): void;
  /** Called once when the process is gone; signal is set when a signal killed it. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Last lines the worker wrote to stderr, for a crashed trial's error text. */
  stderrTail(): string;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Starts trial worker processes. Node uses child_process.fork; Electron injects one built on
 * utilityProcess. The engine owns the handles it gets and kills them when it is done.
 */
export interface Spawner {
  /** `env` is added to the worker's environment (TUNEBENCH_BACKEND for a forced backend). */
  spawn(id: string, env?: Record<string, string>): WorkerHandle;
}
