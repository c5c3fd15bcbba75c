import * as tf from './tf.js';
import { chooseBackend, type BackendChoice } from './backend.js';
import { openChannel, type WorkerChannel } from './channel.js';
import type { LrFindJob, TrialJob } from './protocol.js';
import { liveTensors, runTrial } from './runTrial.js';
import { SplitCache } from './splitCache.js';
import { describeAdapter, gpuFault, onGpuFault, releasePooledGpuBuffers } from './webgpuBackend.js';

/**
 * The trial worker process: started by the runner pool with child_process.fork (Node) or
 * utilityProcess (Electron), one trial at a time, alive across trials. It never opens the
 * database: everything it learns leaves as protocol messages. Log lines go to stderr, whose tail
 * the engine keeps for a crashed trial.
 */

const heartbeatMs = 1000;

function log(line: string): void {
  process.stderr.write(`tunebench worker ${process.pid}: ${line}\n`);
}

interface Running {
  trialId: number;
  controller: AbortController;
  /** The epoch whose verdict the trial waits for, and how to hand it over. */
  awaiting: { epoch: number; settle(prune: boolean): void } | null;
}

/** Waits for the engine's verdict on an epoch; a stop (cancel, shutdown) while waiting prunes. */
function awaitVerdict(running: Running, epoch: number): Promise<boolean> {
  const { signal } = running.controller;
  if (signal.aborted) return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const settle = (prune: boolean) => {
      running.awaiting = null;
      signal.removeEventListener('abort', onAbort);
      resolve(prune);
    };
    const onAbort = () => settle(true);
    signal.addEventListener('abort', onAbort);
    running.awaiting = { epoch, settle };
  });
}

class TrialWorker {
  private running: Running | null = null;
  private isShuttingDown = false;
  private readonly cache = new SplitCache(undefined, undefined, {
    onLoad: (key, rows, ms) => log(`loaded dataset ${key} (${rows} rows) in ${Math.round(ms)} ms`),
  });

  constructor(
    private readonly channel: WorkerChannel,
    private readonly backend: Promise<BackendChoice>,
  ) {}

  listen(): void {
    this.channel.onMessage((message) => {
      switch (message.type) {
        case 'run':
          void this.run(message.job);
          break;
        case 'stop':
          if (this.running?.trialId === message.trialId) this.running.controller.abort();
          break;
        case 'verdict':
          if (this.running?.trialId === message.trialId && this.running.awaiting?.epoch === message.epoch) {
            this.running.awaiting.settle(message.prune);
          }
          break;
        case 'shutdown':
          this.isShuttingDown = true;
          if (this.running) this.running.controller.abort();
          else process.exit(0);
          break;
      }
    });
    // An orphan worker (the engine died) has no one to report to.
    this.channel.onDisconnect(() => process.exit(0));
  }

  private async run(job: TrialJob): Promise<void> {
    const { trialId } = job;
    if (this.running) {
      const error = `worker is busy with trial ${this.running.trialId}`;
      this.channel.send({ type: 'done', trialId, end: { state: 'failed', reason: 'error', error, epochsRun: 0 } });
      return;
    }
    const running: Running = { trialId, controller: new AbortController(), awaiting: null };
    this.running = running;
    const beat = setInterval(() => this.channel.send({ type: 'heartbeat', trialId }), heartbeatMs);
    // A lost device or GPU out-of-memory stops the trial at once; the fault becomes its reason.
    const unwatch = onGpuFault(() => running.controller.abort());
    try {
      await this.backend;
      this.channel.send({ type: 'started', trialId, backend: tf.getBackend() });
      const trained = await runTrial(job, {
        loadSplit: (j) => this.cache.get(j),
        onEpoch: (report) => this.channel.send(report),
        verdict: (epoch) => awaitVerdict(running, epoch),
        signal: running.controller.signal,
      });
      const fault = gpuFault();
      const end: typeof trained = fault
        ? { state: 'failed', reason: 'error', error: fault.message, epochsRun: trained.epochsRun, retireWorker: true }
        : trained;
      if (fault) this.isShuttingDown = true;
      else releasePooledGpuBuffers();
      this.channel.send({ type: 'done', trialId, end });
      log(`trial ${trialId} ${end.state} after ${end.epochsRun} epochs; ${liveTensors()} tensors alive`);
    } finally {
      unwatch();
      clearInterval(beat);
      this.running = null;
    }
    if (this.isShuttingDown) process.exit(0);
  }
}

async function main(): Promise<void> {
  // A terminal's Ctrl-C reaches the whole process group: the engine decides (it cancels the trial
  // through the channel), so the trial ends cancelled, never crashed(SIGINT).
  process.on('SIGINT', () => log('SIGINT ignored: the engine stops this trial'));
  const channel = openChannel();
  const doctorMs = Number(process.env.TUNEBENCH_DOCTOR_MS);
  if (doctorMs > 0) {
    channel.onDisconnect(() => process.exit(0));
    const { runDoctor } = await import('./doctor.js');
    channel.send({ type: 'doctor', report: await runDoctor({ budgetMs: doctorMs }) });
    return;
  }
  const lrFind = process.env.TUNEBENCH_LRFIND;
  if (lrFind) {
    channel.onDisconnect(() => process.exit(0));
    try {
      const request = JSON.parse(lrFind) as LrFindJob;
      const choice = await chooseBackend();
      const { runLrRangeTest } = await import('./lrRangeTest.js');
      const split = await new SplitCache().get(request.job);
      channel.send({ type: 'lrFind', result: await runLrRangeTest(request, split, choice.backend) });
    } catch (error) {
      // The engine reports the last stderr line as the reason.
      process.stderr.write(`lr-find failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    }
    return;
  }
  // Listen first: a 'run' that arrives while the backend starts waits for it instead of being lost.
  const backend = chooseBackend();
  new TrialWorker(channel, backend).listen();
  try {
    const choice = await backend;
    if (choice.note) log(`backend ${choice.backend}: ${choice.note}`);
    const adapter = choice.adapter ? describeAdapter(choice.adapter) : null;
    if (adapter) log(`GPU adapter: ${adapter}`);
    channel.send({ type: 'ready', backend: choice.backend, backendNote: choice.note, pid: process.pid, adapter });
  } catch (error) {
    log(`no backend: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

void main();
