import * as tf from './tf.js';
import { chooseBackend, type BackendChoice } from './backend.js';
import { openChannel, type WorkerChannel } from './channel.js';
import { EpochOutbox } from './epochOutbox.js';
import type { LrFindJob, TrialJob } from './protocol.js';
import { liveTensors, runTrial } from './runTrial.js';
import { packKey } from './packing.js';
import { hasPackedUpdate } from './packedUpdates.js';
import { runPack } from './runPack.js';
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
  /** The members of a packed run, by trial id (empty when none runs). */
  private readonly packed = new Map<number, Running>();
  private isShuttingDown = false;
  private readonly outbox: EpochOutbox;
  private readonly cache = new SplitCache(undefined, undefined, {
    onLoad: (key, rows, ms) => log(`loaded dataset ${key} (${rows} rows) in ${Math.round(ms)} ms`),
  });

  constructor(
    private readonly channel: WorkerChannel,
    private readonly backend: Promise<BackendChoice>,
  ) {
    this.outbox = new EpochOutbox(channel);
  }

  listen(): void {
    this.channel.onMessage((message) => {
      switch (message.type) {
        case 'run':
          void this.run(message.job);
          break;
        case 'runPack':
          void this.runPack(message.jobs);
          break;
        case 'stop':
          if (this.running?.trialId === message.trialId) this.running.controller.abort();
          this.packed.get(message.trialId)?.controller.abort();
          break;
        case 'verdict': {
          const running = this.running?.trialId === message.trialId ? this.running : this.packed.get(message.trialId);
          if (running?.awaiting?.epoch === message.epoch) running.awaiting.settle(message.prune);
          break;
        }
        case 'shutdown':
          this.isShuttingDown = true;
          for (const member of this.packed.values()) member.controller.abort();
          if (this.running) this.running.controller.abort();
          else if (this.packed.size === 0) process.exit(0);
          break;
      }
    });
    // An orphan worker (the engine died) has no one to report to.
    this.channel.onDisconnect(() => process.exit(0));
  }

  private async run(job: TrialJob): Promise<void> {
    const { trialId } = job;
    if (this.running || this.packed.size > 0) {
      const error = `worker is busy with trial ${this.running?.trialId ?? [...this.packed.keys()].join(', ')}`;
      this.outbox.send({ type: 'done', trialId, end: { state: 'failed', reason: 'error', error, epochsRun: 0 } });
      return;
    }
    const running: Running = { trialId, controller: new AbortController(), awaiting: null };
    this.running = running;
    const beat = setInterval(() => this.outbox.send({ type: 'heartbeat', trialId }), heartbeatMs);
    // A lost device or GPU out-of-memory stops the trial at once; the fault becomes its reason.
    const unwatch = onGpuFault(() => running.controller.abort());
    try {
      await this.backend;
      this.outbox.send({ type: 'started', trialId, backend: tf.getBackend() });
      const trained = await runTrial(job, {
        loadSplit: (j) => this.cache.get(j),
        onEpoch: (report) => this.outbox.epoch(report, job.awaitsVerdict === true),
        verdict: (epoch) => awaitVerdict(running, epoch),
        signal: running.controller.signal,
      });
      const fault = gpuFault();
      const end: typeof trained = fault
        ? { state: 'failed', reason: 'error', error: fault.message, epochsRun: trained.epochsRun, retireWorker: true }
        : trained;
      if (fault) this.isShuttingDown = true;
      else releasePooledGpuBuffers();
      this.outbox.send({ type: 'done', trialId, end });
      log(`trial ${trialId} ${end.state} after ${end.epochsRun} epochs; ${liveTensors()} tensors alive`);
    } finally {
      unwatch();
      clearInterval(beat);
      this.running = null;
    }
    if (this.isShuttingDown) process.exit(0);
  }

  /** A pack: trained together when the backend has the packed kernels and the jobs share a key, else one by one. */
  private async runPack(jobs: TrialJob[]): Promise<void> {
    const choice = await this.backend.catch(() => null);
    const first = jobs[0];
    const key = first ? packKey(first.model, first.params) : null;
    const isPackable = choice !== null && hasPackedUpdate() && key !== null
      && jobs.every((job) => packKey(job.model, job.params) === key && job.epochs === first?.epochs && job.datasetFingerprint === first?.datasetFingerprint);
    if (!isPackable || this.running || this.packed.size > 0) {
      for (const job of jobs) await this.run(job);
      return;
    }
    const awaitsVerdict = new Set(jobs.filter((job) => job.awaitsVerdict).map((job) => job.trialId));
    for (const job of jobs) this.packed.set(job.trialId, { trialId: job.trialId, controller: new AbortController(), awaiting: null });
    const beat = setInterval(() => {
      for (const trialId of this.packed.keys()) this.outbox.send({ type: 'heartbeat', trialId });
    }, heartbeatMs);
    try {
      for (const job of jobs) this.outbox.send({ type: 'started', trialId: job.trialId, backend: tf.getBackend() });
      await runPack(jobs, {
        loadSplit: (j) => this.cache.get(j),
        onEpoch: (report) => this.outbox.epoch(report, awaitsVerdict.has(report.trialId)),
        verdict: (trialId, epoch) => {
          const member = this.packed.get(trialId);
          return member ? awaitVerdict(member, epoch) : Promise.resolve(true);
        },
        signalOf: (trialId) => this.packed.get(trialId)?.controller.signal,
        onEnd: (trialId, end) => {
          this.packed.delete(trialId);
          this.outbox.send({ type: 'done', trialId, end });
          log(`trial ${trialId} ${end.state} after ${end.epochsRun} epochs (packed)`);
        },
      });
      log(`pack of ${jobs.length} done; ${liveTensors()} tensors alive`);
    } finally {
      clearInterval(beat);
      this.packed.clear();
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
    if (choice.adapter) log(`GPU adapter: ${describeAdapter(choice.adapter)}`);
    channel.send({ type: 'ready', backend: choice.backend, backendNote: choice.note, pid: process.pid, adapter: choice.adapter });
  } catch (error) {
    log(`no backend: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

void main();
