import type { WorkerChannel } from './channel.js';
import type { EpochReport, FromWorker } from './protocol.js';

/** How long epoch reports may wait to leave together: below what a person sees on a live chart. */
export const epochBatchMs = 100;

/**
 * The worker's sending side: epoch reports leave in batches of up to `intervalMs`, every other
 * message at once and after the reports held before it (so a trial's epochs always precede its
 * `done`). An iris epoch takes about a millisecond; one message each cost the engine more than
 * storing the epoch. A report the engine must answer (a pruned study's verdict) leaves at once.
 */
export class EpochOutbox {
  private held: EpochReport[] = [];
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly channel: Pick<WorkerChannel, 'send'>,
    private readonly intervalMs = epochBatchMs,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Holds the report unless it awaits a verdict or the batch is due. */
  epoch(report: EpochReport, awaitsVerdict: boolean): void {
    this.held.push(report);
    if (awaitsVerdict || this.now() - this.lastSentAt >= this.intervalMs) this.flush();
  }

  /** Sends any other message, after the reports held. */
  send(message: FromWorker): void {
    this.flush();
    this.channel.send(message);
  }

  flush(): void {
    if (this.held.length === 0) return;
    const reports = this.held;
    this.held = [];
    this.lastSentAt = this.now();
    this.channel.send(reports.length === 1 ? reports[0]! : { type: 'epochs', reports });
  }
}
