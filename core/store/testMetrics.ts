import type { Trial } from '../api/domain.js';
import type { Store } from './store.js';

/** The test metrics a trial can carry; the engine stores them at the best epoch only. */
export const testMetricNames = ['test_loss', 'test_accuracy', 'test_mae'] as const;

/**
 * The trials with `testMetrics` set from their stored test points (the best validation epoch's),
 * for leaderboards and exports. Trials without a test part are returned as they are.
 */
export async function withTestMetrics(store: Store, trials: readonly Trial[]): Promise<Trial[]> {
  if (trials.length === 0) return [...trials];
  const byTrial = new Map<number, Record<string, number>>();
  const points = await store.getMetrics(trials.map((trial) => trial.id), testMetricNames);
  for (const point of points) {
    const metrics = byTrial.get(point.trialId) ?? {};
    metrics[point.name] = point.value;
    byTrial.set(point.trialId, metrics);
  }
  return trials.map((trial) => {
    const metrics = byTrial.get(trial.id);
    return metrics ? { ...trial, testMetrics: metrics } : trial;
  });
}
