import type { Direction, Trial } from './domain.js';
import type { TrialParams } from './spec.js';

/** One configuration (a set of params) trained with several seeds. */
export interface ConfigurationStats {
  params: TrialParams;
  /** Trial numbers of its complete runs, in number order; the first is the source. */
  trialNumbers: number[];
  values: number[];
  mean: number;
  /** Sample standard deviation. */
  sd: number;
  /** Student-t 95% interval of the mean. */
  interval: [number, number];
}

/** Params as a key that ignores the order their fields were stored in. */
export function paramsKey(params: Readonly<TrialParams>): string {
  const record = params as unknown as Record<string, unknown>;
  return JSON.stringify(Object.keys(record).sort().map((key) => [key, record[key]]));
}

// Two-sided 95% quantiles of Student's t for 1..30 degrees of freedom; beyond, the normal's.
const t975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export function tQuantile975(degrees: number): number {
  return t975[degrees - 1] ?? 1.96;
}

/**
 * Complete trials grouped by configuration, only those run with more than one seed, best mean
 * first. Non-overlapping intervals of the top two say the best beats seed noise; overlapping
 * ones say it may not.
 */
export function seedStats(trials: readonly Trial[], direction: Direction): ConfigurationStats[] {
  const groups = new Map<string, Trial[]>();
  for (const trial of trials) {
    if (trial.state !== 'complete' || trial.value === null || !Number.isFinite(trial.value)) continue;
    const key = paramsKey(trial.params);
    groups.set(key, [...(groups.get(key) ?? []), trial]);
  }
  const stats: ConfigurationStats[] = [];
  for (const runs of groups.values()) {
    if (runs.length < 2) continue;
    runs.sort((a, b) => a.number - b.number);
    const values = runs.map((run) => run.value as number);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1));
    const half = (tQuantile975(values.length - 1) * sd) / Math.sqrt(values.length);
    stats.push({ params: runs[0]!.params, trialNumbers: runs.map((run) => run.number), values, mean, sd, interval: [mean - half, mean + half] });
  }
  const sign = direction === 'maximize' ? -1 : 1;
  return stats.sort((a, b) => sign * (a.mean - b.mean));
}
