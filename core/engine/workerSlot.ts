import type { GpuAdapter } from '../api/doctor.js';
import type { EpochReport, FromWorker, TrialEnd, TrialJob } from '../training/protocol.js';
import { maxTimerMs } from '../api/spec.js';
import type { Spawner, WorkerHandle } from './spawner.js';

/** How one trial's run on a worker ended, as the engine sees it. */
export type RunResult =
  | { kind: 'ended'; end: TrialEnd }
  /** The process died mid-trial: `crashed(SIGKILL)` or `exit 1`, with its stderr tail. */
  | { kind: 'crashed'; detail: string; isOutOfMemory?: boolean }
  | { kind: 'timeout' }
  /** No message (not even a heartbeat) for the grace period: hung or stopped. */
  | { kind: 'lost' };

export interface RunHooks {
  onStarted(backend: string): void;
  /** Returns true when the trial should stop now (pruned at this epoch). */
  onEpoch(report: EpochReport): boolean;
  onHeartbeat(): void;
}

/**
 * On webgpu, tfjs compiles each new kernel shape synchronously, on the worker's only thread, so no
 * heartbeat leaves while a trial's first epoch compiles (seconds a shader on a software GPU). Until
 * that first epoch report the silence allowed is this long; the trial timeout still bounds a hang.
 */
export const gpuFirstEpochGraceMs = 600_000;

export interface SlotOptions {
  heartbeatGraceMs: number;
  /** Replaces gpuFirstEpochGraceMs (tests). */
  gpuFirstEpochGraceMs?: number;
  readyTimeoutMs: number;
  killGraceMs: number;
  /** Added to each worker's environment (TUNEBENCH_BACKEND when the study forces a backend). */
  env?: Record<string, string>;
}

interface ActiveRun {
  trialId: number;
  /** The worker waits for a verdict after each epoch report (job.awaitsVerdict). */
  awaitsVerdict: boolean;
  hooks: RunHooks;
  resolve(result: RunResult): void;
  /** Set when the engine killed the process on purpose; reported instead of a crash. */
  verdict: RunResult | null;
  timers: NodeJS.Timeout[];
  lastMessageAt: number;
  hasReportedEpoch: boolean;
}

/**
 * One worker process kept alive across trials (start-up and dataset loading are paid once).
 * A crash, hang or timeout kills the process; the next `run` starts a fresh one.
 */
export class WorkerSlot {
  private handle: WorkerHandle | null = null;
  private ready: Promise<void> | null = null;
  private active: ActiveRun | null = null;
  /** The members of a packed run (runPack), by trial id. */
  private readonly packRuns = new Map<number, ActiveRun>();
  backend: string | null = null;
  backendNote: string | null = null;
  /** The GPU adapter the worker trains on (webgpu); null otherwise. */
  adapter: GpuAdapter | null = null;

  constructor(
    private readonly spawner: Spawner,
    readonly id: string,
    private readonly options: SlotOptions,
  ) {}

  get pid(): number | undefined {
    return this.handle?.pid;
  }

  private start(): Promise<void> {
    const handle = this.spawner.spawn(this.id, this.options.env);
    this.handle = handle;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        handle.kill('SIGKILL');
        reject(new Error(`worker ${this.id} did not start within ${this.options.readyTimeoutMs} ms: ${handle.stderrTail()}`));
      }, this.options.readyTimeoutMs);
      handle.onMessage((message) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          this.backend = message.backend;
          this.adapter = message.adapter ?? null;
          this.backendNote = message.backendNote;
          resolve();
        }
        this.route(message);
      });
      handle.onExit((code, signal) => {
        clearTimeout(timer);
        // A retired process (see retire) exits on its own; its exit is no news to the next run.
        const isCurrent = this.handle === handle;
        if (isCurrent) {
          this.handle = null;
          this.ready = null;
        }
        reject(new Error(`worker ${this.id} exited before it was ready (${signal ?? `exit ${code}`}): ${handle.stderrTail()}`));
        if (isCurrent) this.onProcessExit(code, signal, handle.stderrTail());
      });
    });
  }

  private route(message: FromWorker): void {
    if (message.type === 'epochs') {
      for (const report of message.reports) this.route(report);
      return;
    }
    const run = this.active ?? ('trialId' in message && message.trialId !== null ? this.packRuns.get(message.trialId) : undefined);
    if (!run) return;
    run.lastMessageAt = Date.now();
    switch (message.type) {
      case 'started':
        if (message.trialId === run.trialId) run.hooks.onStarted(message.backend);
        break;
      case 'epoch': {
        if (message.trialId !== run.trialId) break;
        run.hasReportedEpoch = true;
        const prune = run.hooks.onEpoch(message);
        if (run.awaitsVerdict) this.handle?.send({ type: 'verdict', trialId: run.trialId, epoch: message.epoch, prune });
        else if (prune) this.handle?.send({ type: 'stop', trialId: run.trialId });
        break;
      }
      case 'heartbeat':
        run.hooks.onHeartbeat();
        break;
      case 'done':
        if (message.trialId !== run.trialId) break;
        if (message.end.state === 'failed' && message.end.retireWorker) this.retire();
        this.settle({ kind: 'ended', end: message.end }, run);
        break;
      default:
        break;
    }
  }

  private onProcessExit(code: number | null, signal: string | null, stderr: string): void {
    const runs = [...(this.active ? [this.active] : []), ...this.packRuns.values()];
    if (runs.length === 0) return;
    const how = signal ? `crashed(${signal})` : `crashed(exit ${code})`;
    // V8 prints this when a worker hits its heap cap; not retried (it would run out again).
    const isOom = /heap out of memory|Reached heap limit/.test(stderr);
    const detail = isOom ? `oom: the worker ran out of memory (${how})` : stderr ? `${how}: ${lastLines(stderr)}` : how;
    for (const run of runs) this.settle(run.verdict ?? { kind: 'crashed', detail, isOutOfMemory: isOom }, run);
  }

  private settle(result: RunResult, run: ActiveRun | null = this.active): void {
    if (!run) return;
    if (this.active === run) this.active = null;
    else if (this.packRuns.get(run.trialId) === run) this.packRuns.delete(run.trialId);
    else return;
    // In Node clearTimeout clears intervals too (both are Timeout objects).
    for (const timer of run.timers) clearTimeout(timer);
    run.resolve(result);
  }

  /** The worker cannot train again (GPU device lost): forget it so the next run starts a fresh one. */
  private retire(): void {
    const handle = this.handle;
    if (!handle) return;
    this.handle = null;
    this.ready = null;
    handle.send({ type: 'shutdown' });
    setTimeout(() => handle.kill('SIGKILL'), this.options.killGraceMs).unref();
  }

  /** Kills the process on purpose; the run (every member of a pack) settles with `verdict` once the process is gone. */
  private killFor(verdict: RunResult): void {
    const run = this.active ?? this.packRuns.values().next().value;
    const handle = this.handle;
    if (!run || !handle) return;
    run.verdict = verdict;
    for (const member of this.packRuns.values()) member.verdict ??= verdict;
    handle.kill('SIGTERM');
    run.timers.push(setTimeout(() => handle.kill('SIGKILL'), this.options.killGraceMs));
  }

  /** Starts the worker if it is not running and waits until it has chosen its backend. */
  async warmUp(): Promise<void> {
    if (!this.handle || !this.ready) this.ready = this.start();
    await this.ready.catch(() => {});
  }

  async run(job: TrialJob, hooks: RunHooks, timeoutMs: number): Promise<RunResult> {
    if (this.active || this.packRuns.size > 0) throw new Error(`worker ${this.id} is already running trial ${this.active?.trialId ?? [...this.packRuns.keys()].join(', ')}`);
    if (!this.handle || !this.ready) this.ready = this.start();
    try {
      await this.ready;
    } catch (error) {
      return { kind: 'crashed', detail: error instanceof Error ? error.message : String(error) };
    }
    const handle = this.handle;
    if (!handle) return { kind: 'crashed', detail: `worker ${this.id} is gone` };
    return new Promise<RunResult>((resolve) => {
      const run: ActiveRun = { trialId: job.trialId, awaitsVerdict: job.awaitsVerdict === true, hooks, resolve, verdict: null, timers: [], lastMessageAt: Date.now(), hasReportedEpoch: false };
      this.active = run;
      // A delay past a timer's range would fire after 1 ms: treat it as no limit (old stored specs).
      if (timeoutMs <= maxTimerMs) run.timers.push(setTimeout(() => this.killFor({ kind: 'timeout' }), timeoutMs));
      const watchdog = setInterval(() => {
        if (Date.now() - run.lastMessageAt > this.silenceAllowed(run)) {
          // A SIGSTOPped or wedged process ignores SIGTERM; go straight to SIGKILL.
          run.verdict = { kind: 'lost' };
          handle.kill('SIGKILL');
        }
      }, Math.max(50, Math.min(1000, this.options.heartbeatGraceMs / 4)));
      run.timers.push(watchdog);
      handle.send({ type: 'run', job });
    });
  }

  /**
   * Trials that share a pack key, trained by the worker as one packed model: one result per job,
   * each settling when that trial ends (a pruned or diverged member ends before the others).
   * Hooks and verdicts are per trial, as for run(). A crash, hang or timeout ends every member.
   */
  runPack(jobs: readonly TrialJob[], hooks: readonly RunHooks[], timeoutMs: number): Promise<RunResult>[] {
    if (this.active || this.packRuns.size > 0) throw new Error(`worker ${this.id} is already running`);
    const members = jobs.map((job, i) => {
      let resolve: (result: RunResult) => void = () => {};
      const promise = new Promise<RunResult>((settle) => {
        resolve = settle;
      });
      const run: ActiveRun = { trialId: job.trialId, awaitsVerdict: job.awaitsVerdict === true, hooks: hooks[i]!, resolve, verdict: null, timers: [], lastMessageAt: Date.now(), hasReportedEpoch: false };
      this.packRuns.set(job.trialId, run);
      return { run, promise };
    });
    void this.sendPack(jobs, members.map(({ run }) => run), timeoutMs);
    return members.map(({ promise }) => promise);
  }

  private silenceAllowed(run: ActiveRun): number {
    const { heartbeatGraceMs } = this.options;
    if (this.backend !== 'webgpu' || run.hasReportedEpoch) return heartbeatGraceMs;
    return Math.max(heartbeatGraceMs, this.options.gpuFirstEpochGraceMs ?? gpuFirstEpochGraceMs);
  }

  private async sendPack(jobs: readonly TrialJob[], runs: ActiveRun[], timeoutMs: number): Promise<void> {
    if (!this.handle || !this.ready) this.ready = this.start();
    try {
      await this.ready;
    } catch (error) {
      for (const run of runs) this.settle({ kind: 'crashed', detail: error instanceof Error ? error.message : String(error) }, run);
      return;
    }
    const handle = this.handle;
    if (!handle) {
      for (const run of runs) this.settle({ kind: 'crashed', detail: `worker ${this.id} is gone` }, run);
      return;
    }
    for (const run of runs) {
      run.lastMessageAt = Date.now();
      if (timeoutMs <= maxTimerMs) run.timers.push(setTimeout(() => this.killFor({ kind: 'timeout' }), timeoutMs));
      run.timers.push(setInterval(() => {
        if (Date.now() - run.lastMessageAt > this.silenceAllowed(run)) {
          for (const member of this.packRuns.values()) member.verdict ??= { kind: 'lost' };
          handle.kill('SIGKILL');
        }
      }, Math.max(50, Math.min(1000, this.options.heartbeatGraceMs / 4))));
    }
    handle.send({ type: 'runPack', jobs: [...jobs] });
  }

  /** Asks the running trial to stop after its current batch (cancel, prune). */
  requestStop(trialId: number): void {
    if (this.active?.trialId === trialId || this.packRuns.has(trialId)) this.handle?.send({ type: 'stop', trialId });
  }

  /** Kills the worker if it is still running this trial (a cancelled trial that did not stop; a pack's every member). */
  abort(trialId: number): void {
    if (this.active?.trialId === trialId || this.packRuns.has(trialId)) this.killFor({ kind: 'ended', end: { state: 'stopped', epochsRun: 0 } });
  }

  /** Ends the process: politely, then by force after the grace period. */
  async shutdown(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => handle.kill('SIGKILL'), this.options.killGraceMs);
      handle.onExit(() => {
        clearTimeout(force);
        resolve();
      });
      handle.send({ type: 'shutdown' });
    });
  }
}

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join('\n');
}
