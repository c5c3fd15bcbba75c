import { afterEach, beforeEach } from 'vitest';
import type { DatasetInfo, Direction, MetricPoint } from '../../core/api/domain.js';
import type { MetricName, OptimizerName, TrialParams } from '../../core/api/spec.js';
import { studySpecSchema } from '../../core/api/spec.js';
import type { NewStudy, Store, TrialResult } from '../../core/store/store.js';

// Small builders for the store tests (contract suite and SQLite-specific ones).

export function sampleDataset(fingerprint = 'f'.repeat(64)): DatasetInfo {
  return {
    key: 'builtin:iris',
    name: 'iris',
    source: 'builtin',
    path: null,
    fingerprint,
    rows: 150,
    columns: [
      { name: 'sepal_length', kind: 'numeric', missing: 0, mean: 5.84, std: 0.83, min: 4.3, max: 7.9 },
      { name: 'species', kind: 'categorical', categories: ['setosa', 'versicolor', 'virginica'], missing: 0 },
    ],
    target: 'species',
    task: 'classification',
    classes: ['setosa', 'versicolor', 'virginica'],
    featureCount: 4,
    imageShape: null,
    description: 'Fisher iris',
  };
}

export function sampleStudy(
  name: string,
  objective: { metric: MetricName; direction: Direction } = { metric: 'val_loss', direction: 'minimize' },
): NewStudy {
  const spec = studySpecSchema.parse({
    name,
    dataset: 'builtin:iris',
    objective,
    epochs: 5,
    space: {
      optimizer: { choice: ['sgd', 'adam'] },
      learningRate: { logUniform: [0.001, 0.1], gridPoints: 2 },
      batchSize: 32,
    },
    search: { strategy: 'random', trials: 8, seed: 3 },
  });
  return { name, spec, plannedTrials: 8, dataset: sampleDataset(), appVersion: '0.1.0' };
}

export function sampleParams(optimizer: OptimizerName = 'adam', learningRate = 0.01): TrialParams {
  return { optimizer, learningRate, batchSize: 32, lrSchedule: 'constant' };
}

export function curve(trialId: number, name: string, values: readonly number[], from = 0): MetricPoint[] {
  return values.map((value, i) => ({ trialId, name, epoch: from + i, value }));
}

export function completed(value: number | null, epochsRun = 3, endedAt = 2_000): TrialResult {
  const bestEpoch = value === null ? null : 0;
  return { state: 'complete', value, bestEpoch, epochsRun, endedAt, error: null, backend: 'wasm' };
}

/** Creates a trial, runs it and finishes it with `result` and a val_loss curve. */
export async function finishedTrial(
  store: Store,
  studyId: number,
  result: TrialResult,
  options: { params?: TrialParams; curve?: number[] } = {},
) {
  const trial = await store.createTrial(studyId, options.params ?? sampleParams(), 1);
  await store.markTrialRunning(trial.id, 'w0', 1_000);
  return store.finishTrial(trial.id, result, curve(trial.id, 'val_loss', options.curve ?? []));
}

export type OpenStore = () => Promise<Store>;

/** A fresh store per test, closed after it; call inside a describe block. */
export function useStore(open: OpenStore): () => Store {
  let store: Store | null = null;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store?.close();
    store = null;
  });
  return () => {
    if (!store) throw new Error('useStore: no store outside a test');
    return store;
  };
}
