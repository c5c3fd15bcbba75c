import type { MetricPoint } from '../api/domain.js';
import type { Store } from '../store/store.js';

/**
 * Buffers learning-curve points and writes them in one transaction every `intervalMs`, so a
 * millisecond epoch does not cost a disk sync. A finishing trial takes its pending points out
 * and writes them together with its final state.
 */
export class MetricWriter {
  private pending: MetricPoint[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Store,
    private readonly intervalMs = 250,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  add(points: readonly MetricPoint[]): void {
    for (const point of points) this.pending.push(point);
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  /** Removes and returns the pending points of one trial. */
  take(trialId: number): MetricPoint[] {
    const mine = this.pending.filter((point) => point.trialId === trialId);
    if (mine.length > 0) this.pending = this.pending.filter((point) => point.trialId !== trialId);
    return mine;
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) {
      this.writing = this.writing.then(() => this.store.appendMetrics(batch)).catch(this.onError);
    }
    return this.writing;
  }
}
