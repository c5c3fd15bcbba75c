import type { Study } from '../api/domain.js';
import type { TrialParams } from '../api/spec.js';
import { dimensionNames } from '../space/sampleParams.js';
import type { Store } from '../store/store.js';

/** The param columns of a set of trials, in the space's dimension order. */
function paramColumns(trials: readonly { params: Readonly<TrialParams> }[]): string[] {
  const present = new Set(trials.flatMap((trial) => Object.keys(trial.params)));
  return dimensionNames.filter((name) => present.has(name));
}

/**
 * Long-format curves CSV: one row per (trial, epoch, metric) with the trial's params as columns,
 * so other tools (Optuna, pandas, R) can replay or plot the same data. Absent conditional params
 * are empty cells.
 */
export async function curvesCsv(store: Store, study: Study): Promise<string> {
  const { rows } = await store.listTrials(study.id, { sort: 'number', limit: Number.MAX_SAFE_INTEGER });
  const points = await store.getMetrics(rows.map((trial) => trial.id));
  const columns = paramColumns(rows);
  const byId = new Map(rows.map((trial) => [trial.id, trial]));
  const lines = [['trial', ...columns, 'epoch', 'metric', 'value'].join(',')];
  for (const point of points) {
    const trial = byId.get(point.trialId)!;
    const record = trial.params as unknown as Record<string, string | number | undefined>;
    lines.push([trial.number, ...columns.map((name) => record[name] ?? ''), point.epoch, point.name, point.value].join(','));
  }
  return lines.join('\n') + '\n';
}
