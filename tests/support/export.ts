import type { DatasetInfo, Direction, MetricPoint, Study, Trial } from '../../core/api/domain.js';
import type { MetricName, StudySpecInput, TrialParams } from '../../core/api/spec.js';
import { validateSpec } from '../../core/space/parseSpec.js';
import { tempStore as tempStoreIn } from './tempStore.js';
import type { Store } from '../../core/store/store.js';
import type { Preprocessing } from '../../core/export/modelExport.js';

/** Test helpers for core/export: a real SQLite store in a temp dir, filled by hand. */

export const irisInfo: DatasetInfo = {
  key: 'builtin:iris',
  name: 'iris',
  source: 'builtin',
  path: null,
  fingerprint: 'a1'.repeat(32),
  rows: 150,
  columns: [],
  target: 'species',
  task: 'classification',
  classes: ['setosa', 'versicolor', 'virginica'],
  featureCount: 4,
  imageShape: null,
  description: 'fixture copy of the iris info',
};

export const regressionInfo: DatasetInfo = {
  ...irisInfo,
  key: 'builtin:synthetic-linear',
  name: 'synthetic',
  task: 'regression',
  classes: null,
  featureCount: 3,
};

export const mnistInfo: DatasetInfo = {
  ...irisInfo,
  key: 'builtin:mnist',
  name: 'mnist',
  classes: [...'0123456789'],
  featureCount: 784,
  imageShape: [28, 28, 1],
};

export const tempStore = () => tempStoreIn('tunebench-export-');

export interface FixtureTrial {
  params: Partial<TrialParams>;
  /** null: the trial failed. */
  value: number | null;
  state?: 'complete' | 'pruned' | 'failed';
  backend?: string;
  seed?: number;
}

export interface FixtureStudy {
  name: string;
  direction: Direction;
  metric?: MetricName;
  trials: readonly FixtureTrial[];
  dataset?: DatasetInfo;
  spec?: Partial<StudySpecInput>;
}

export const fixtureEpochs = 5;

/** A curve whose best epoch (2) holds `value`; worse elsewhere in the direction's sense. */
export function fixtureCurve(trialId: number, metric: string, value: number, direction: Direction): MetricPoint[] {
  const sign = direction === 'maximize' ? -1 : 1;
  return Array.from({ length: fixtureEpochs }, (_, epoch) => [
    { trialId, epoch, name: metric, value: value + sign * 0.01 * Math.abs(epoch - 2) },
    { trialId, epoch, name: 'loss', value: 1 / (epoch + 1) },
  ]).flat();
}

/** Creates a study and its trials, each finished with its curve, as the engine would. */
export async function createFixtureStudy(store: Store, input: FixtureStudy): Promise<{ study: Study; trials: Trial[] }> {
  const metric = input.metric ?? (input.direction === 'maximize' ? 'val_accuracy' : 'val_loss');
  const dataset = input.dataset ?? irisInfo;
  const spec = validateSpec({
    dataset: dataset.key,
    model: { type: 'mlp', hidden: [8], activation: 'relu' },
    objective: { metric, direction: input.direction },
    epochs: fixtureEpochs,
    space: {
      optimizer: { choice: ['sgd', 'momentum', 'adam'] },
      learningRate: { logUniform: [0.001, 0.1] },
      batchSize: { choice: [16, 32] },
      lrSchedule: { choice: ['constant', 'exponential', 'cosine'] },
      momentum: { uniform: [0.5, 0.99] },
      decayRate: { uniform: [0.5, 0.99] },
    },
    search: { strategy: 'random', trials: Math.max(1, input.trials.length), seed: 3 },
    seed: 42,
    ...input.spec,
  });
  await store.upsertDataset(dataset);
  const study = await store.createStudy({ name: input.name, spec, plannedTrials: input.trials.length, dataset, appVersion: 'test' });
  const trials: Trial[] = [];
  for (const [index, t] of input.trials.entries()) {
    const params: TrialParams = { optimizer: 'adam', learningRate: 0.01, batchSize: 16, lrSchedule: 'constant', ...t.params };
    const created = await store.createTrial(study.id, params, t.seed ?? 1000 + index);
    await store.markTrialRunning(created.id, 'w1', 1_000);
    const backend = t.backend ?? 'cpu';
    const state = t.state ?? (t.value === null ? 'failed' : 'complete');
    const points = t.value === null ? [] : fixtureCurve(created.id, metric, t.value, input.direction);
    const finished = await store.finishTrial(
      created.id,
      {
        state,
        value: state === 'complete' ? t.value : null,
        bestEpoch: state === 'complete' ? 2 : null,
        epochsRun: state === 'pruned' ? 2 : fixtureEpochs,
        endedAt: 1_000 + 500 * (index + 1),
        error: state === 'failed' ? 'diverged: loss NaN' : null,
        backend,
      },
      points,
    );
    trials.push(finished);
  }
  return { study: await store.getStudy(study.id), trials };
}

/**
 * A raw CSV row to the model's input, using nothing but preprocessing.json (and the date rule it
 * states): encode the columns in order, then x = (value - mean) / std per feature.
 */
export function featurize(pre: Preprocessing, row: Record<string, string>): number[] {
  const encoded = pre.columns.flatMap((column) => {
    const text = row[column.name]?.trim() ?? '';
    if (column.kind === 'categorical') return column.categories.map((category) => (category === text ? 1 : 0));
    if (column.kind === 'numeric') return [text === '' ? column.fill : Number(text)];
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
    if (!match) return column.fill;
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const dayOfYear = (Date.UTC(year, month - 1, day) - Date.UTC(year, 0, 1)) / 86_400_000;
    const angle = (2 * Math.PI * dayOfYear) / ((Date.UTC(year + 1, 0, 1) - Date.UTC(year, 0, 1)) / 86_400_000);
    return [year, Math.sin(angle), Math.cos(angle)];
  });
  return encoded.map((value, j) => (value - (pre.features[j]?.mean ?? 0)) / (pre.features[j]?.std ?? 1));
}
