import type { FromWorker, ToWorker } from './protocol.js';

/** The worker's end of the pipe to the engine, whichever process API started it. */
export interface WorkerChannel {
  readonly kind: 'fork' | 'utilityProcess';
  send(message: FromWorker): void;
  onMessage(listener: (message: ToWorker) => void): void;
  /** Called when the parent goes away (fork only: a utilityProcess dies with its parent). */
  onDisconnect(listener: () => void): void;
}

/** Electron's process.parentPort in a utilityProcess: messages arrive wrapped as { data }. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

/** The part of `process` the adapter uses, so tests can hand in a fake. */
export interface ChannelProcess {
  parentPort?: ParentPort;
  send?: (message: unknown) => boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
}

const toWorkerTypes = new Set(['run', 'runPack', 'stop', 'verdict', 'shutdown']);

function isToWorker(value: unknown): value is ToWorker {
  return typeof value === 'object' && value !== null && toWorkerTypes.has((value as { type?: unknown }).type as string);
}

function guard(listener: (message: ToWorker) => void): (value: unknown) => void {
  return (value) => {
    if (isToWorker(value)) listener(value);
    else process.stderr.write(`tunebench worker: ignored a message that is not run/stop/verdict/shutdown\n`);
  };
}

/**
 * Detects how this process was started: Electron utilityProcess (process.parentPort) or
 * child_process.fork (process.send). Anything else is a usage error.
 */
export function openChannel(proc: ChannelProcess = process as unknown as ChannelProcess): WorkerChannel {
  const port = proc.parentPort;
  if (port) {
    return {
      kind: 'utilityProcess',
      send: (message) => port.postMessage(message),
      onMessage: (listener) => port.on('message', (event) => guard(listener)(event.data)),
      onDisconnect: () => {},
    };
  }
  const send = proc.send;
  if (typeof send === 'function') {
    return {
      kind: 'fork',
      send: (message) => {
        send.call(proc, message);
      },
      onMessage: (listener) => proc.on('message', guard(listener)),
      onDisconnect: (listener) => proc.on('disconnect', listener),
    };
  }
  throw new Error('the trial worker must be started with child_process.fork or Electron utilityProcess');
}
