import { parse } from 'csv-parse/sync';
import type { Direction, Study } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { StudySpec, TrialParams } from '../api/spec.js';
import { dimensionNames } from '../space/sampleParams.js';
import type { Store } from '../store/store.js';

/** One recorded trial: its params and its objective at each epoch (epoch 0 first). */
export interface RecordedTrial {
  readonly params: Readonly<TrialParams>;
  readonly curve: readonly number[];
}

/** A finished study's learning curves, enough to replay any strategy and pruner against. */
export interface Recording {
  readonly spec: StudySpec;
  readonly direction: Direction;
  readonly trials: readonly RecordedTrial[];
}

/** The complete trials of a study with their objective curves (one read of the metrics). */
export async function recordingFromStore(store: Store, study: Study): Promise<Recording> {
  const { rows } = await store.listTrials(study.id, { states: ['complete'], sort: 'number', limit: Number.MAX_SAFE_INTEGER });
  const points = await store.getMetrics(rows.map((trial) => trial.id), [study.objective.metric]);
  const curves = new Map<number, number[]>();
  for (const point of points) {
    const curve = curves.get(point.trialId) ?? [];
    curve[point.epoch] = point.value;
    curves.set(point.trialId, curve);
  }
  const trials = rows.map((trial) => ({ params: trial.params, curve: curves.get(trial.id) ?? [] })).filter((trial) => trial.curve.length > 0);
  if (trials.length === 0) throw new TunebenchError('ARGUMENT_INVALID', `study ${study.name} has no complete trials with curves to replay`);
  return { spec: study.spec, direction: study.objective.direction, trials };
}

/** Reads a curves CSV (as core/export/curvesExport.ts writes it) back into a recording of one metric. */
export function recordingFromCsv(text: string, spec: StudySpec): Recording {
  const records = parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const metric = spec.objective.metric;
  const trials = new Map<string, { params: TrialParams; curve: number[] }>();
  records.forEach((record, index) => {
    if (record.metric !== metric) return;
    const epoch = Number(record.epoch);
    const value = Number(record.value);
    if (!Number.isInteger(epoch) || epoch < 0 || record.trial === undefined) throw new TunebenchError('ARGUMENT_INVALID', `curves CSV line ${index + 2}: bad trial or epoch`);
    let trial = trials.get(record.trial);
    if (!trial) {
      const params: Record<string, string | number> = {};
      for (const name of dimensionNames) {
        const cell = record[name];
        if (cell === undefined || cell === '') continue;
        params[name] = name === 'optimizer' || name === 'lrSchedule' ? cell : Number(cell);
      }
      trial = { params: params as unknown as TrialParams, curve: [] };
      trials.set(record.trial, trial);
    }
    trial.curve[epoch] = value;
  });
  return { spec, direction: spec.objective.direction, trials: [...trials.values()] };
}
