import type { MetricPoint } from '../api/domain.js';

/** Metrics of the held-out test part: `test_loss`, `test_accuracy`, `test_mae`. */
export function isTestMetric(name: string): boolean {
  return name.startsWith('test_');
}

/** An epoch's metrics without the test ones, which no live view, pruner or curve may see. */
export function withoutTestMetrics(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).filter(([name]) => !isTestMetric(name)));
}

/**
 * Holds a running trial's per-epoch test metrics out of the stored curves and gives back only
 * those of the epoch the objective picked: a person cannot select on test curves, and the test
 * score reported is that of the model the validation chose.
 */
export class HeldOutTestMetrics {
  private readonly points: MetricPoint[] = [];

  /** Keeps the test points of an epoch's metrics; returns the rest, to store and show. */
  hold(trialId: number, epoch: number, metrics: Record<string, number>): MetricPoint[] {
    const kept: MetricPoint[] = [];
    for (const [name, value] of Object.entries(metrics)) {
      (isTestMetric(name) ? this.points : kept).push({ trialId, epoch, name, value });
    }
    return kept;
  }

  atEpoch(epoch: number | null): MetricPoint[] {
    return epoch === null ? [] : this.points.filter((point) => point.epoch === epoch);
  }
}
