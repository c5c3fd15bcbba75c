import type { FromWorker, ToWorker } from '../training/protocol.js';
import type { Spawner, WorkerHandle } from './spawner.js';

type ReadyMessage = Extract<FromWorker, { type: 'ready' }>;

/** One real worker process, lent to one slot at a time. */
interface PooledWorker {
  readonly process: WorkerHandle;
  /** The environment it was started with; only a spawn asking for the same one gets it back. */
  readonly envKey: string;
  ready: ReadyMessage | null;
  lease: Lease | null;
  /** The trial it was last sent and has not finished: a worker shut down mid-trial is not kept. */
  runningTrial: number | null;
  /** Exited, killed, or unable to train again (GPU device lost): never lent again. */
  isSpent: boolean;
  idleTimer: NodeJS.Timeout | null;
}

interface Lease {
  messageListeners: ((message: FromWorker) => void)[];
  exitListeners: ((code: number | null, signal: string | null) => void)[];
}

export interface WarmSpawner extends Spawner {
  /** Idle workers kept now (for tests and logs). */
  idleCount(): number;
  /** Ends every idle worker; a worker still lent out ends when its slot shuts it down. */
  close(): Promise<void>;
}

/** How long the app and `tunebench serve` keep an idle worker: a while of looking at results. */
export const warmWorkerIdleMs = 10 * 60_000;

/** How long an idle worker asked to shut down gets before it is killed (close). */
const killGraceMs = 3000;

/** Only plain trial workers are kept: doctor and lr-find workers do one job and exit. */
const keptEnvKeys = new Set(['TUNEBENCH_BACKEND']);

/**
 * Keeps trial workers warm between study runs (the app and `tunebench serve`): a slot's shutdown
 * of an idle worker hands it back here instead of ending it, and the next spawn asking for the same
 * environment gets it, already past start-up and with its datasets cached. Each worker is lent to
 * one slot at a time, so two running studies never share one. An idle worker ends after `idleMs`.
 * The slot sees an ordinary handle: a reused worker replays its 'ready', and giving it back looks
 * like a clean exit.
 */
export function createWarmSpawner(inner: Spawner, options: { idleMs: number }): WarmSpawner {
  const idle: PooledWorker[] = [];

  function endIdle(worker: PooledWorker): void {
    const index = idle.indexOf(worker);
    if (index >= 0) idle.splice(index, 1);
    if (worker.idleTimer) clearTimeout(worker.idleTimer);
    worker.idleTimer = null;
    worker.isSpent = true;
    worker.process.send({ type: 'shutdown' });
  }

  function giveBack(worker: PooledWorker): void {
    const lease = worker.lease;
    worker.lease = null;
    idle.push(worker);
    worker.idleTimer = setTimeout(() => endIdle(worker), options.idleMs);
    worker.idleTimer.unref();
    for (const listener of lease?.exitListeners.splice(0) ?? []) listener(0, null);
  }

  function start(id: string, env: Record<string, string> | undefined, envKey: string): PooledWorker {
    const worker: PooledWorker = { process: inner.spawn(id, env), envKey, ready: null, lease: null, runningTrial: null, isSpent: false, idleTimer: null };
    worker.process.onMessage((message) => {
      if (message.type === 'ready') worker.ready = message;
      if (message.type === 'done' && message.trialId === worker.runningTrial) {
        worker.runningTrial = null;
        if (message.end.state === 'failed' && message.end.retireWorker) worker.isSpent = true;
      }
      for (const listener of worker.lease?.messageListeners ?? []) listener(message);
    });
    worker.process.onExit((code, signal) => {
      worker.isSpent = true;
      const index = idle.indexOf(worker);
      if (index >= 0) idle.splice(index, 1);
      if (worker.idleTimer) clearTimeout(worker.idleTimer);
      for (const listener of worker.lease?.exitListeners.splice(0) ?? []) listener(code, signal);
    });
    return worker;
  }

  function lend(worker: PooledWorker, id: string): WorkerHandle {
    const lease: Lease = { messageListeners: [], exitListeners: [] };
    worker.lease = lease;
    const ready = worker.ready;
    // A warm worker said 'ready' long ago: say it again once the slot listens.
    if (ready) setImmediate(() => worker.lease === lease && lease.messageListeners.forEach((listener) => listener(ready)));
    return {
      id,
      pid: worker.process.pid,
      send(message: ToWorker) {
        if (worker.lease !== lease) return;
        if (message.type === 'run') worker.runningTrial = message.job.trialId;
        const isReusable = message.type === 'shutdown' && worker.ready !== null && worker.runningTrial === null && !worker.isSpent;
        if (isReusable) giveBack(worker);
        else worker.process.send(message);
      },
      onMessage(listener) {
        lease.messageListeners.push(listener);
      },
      onExit(listener) {
        lease.exitListeners.push(listener);
      },
      stderrTail: () => worker.process.stderrTail(),
      kill(signal) {
        if (worker.lease !== lease) return;
        worker.isSpent = true;
        worker.process.kill(signal);
      },
    };
  }

  return {
    spawn(id, env) {
      const isKept = Object.keys(env ?? {}).every((key) => keptEnvKeys.has(key));
      const envKey = JSON.stringify(Object.entries(env ?? {}).sort());
      if (!isKept) return inner.spawn(id, env);
      const warm = idle.find((worker) => worker.envKey === envKey && !worker.isSpent);
      if (warm) {
        idle.splice(idle.indexOf(warm), 1);
        if (warm.idleTimer) clearTimeout(warm.idleTimer);
        warm.idleTimer = null;
        return lend(warm, id);
      }
      return lend(start(id, env, envKey), id);
    },
    idleCount: () => idle.length,
    async close() {
      const ending = [...idle];
      await Promise.all(
        ending.map(
          (worker) =>
            new Promise<void>((resolve) => {
              const force = setTimeout(() => worker.process.kill('SIGKILL'), killGraceMs);
              worker.process.onExit(() => {
                clearTimeout(force);
                resolve();
              });
              endIdle(worker);
            }),
        ),
      );
    },
  };
}
