import type { DatasetInfo, Direction, Study, Trial } from '../api/domain.js';
import type { DatasetRef, ModelSpec, SpaceSpec, StudySpec, TrialParams } from '../api/spec.js';
import { trialModel } from '../space/modelParams.js';
import { scheduleUsesHorizon } from '../api/schedules.js';
import type { Store } from '../store/store.js';
import type { TrialJob } from '../training/protocol.js';
import { withTestMetrics } from '../store/testMetrics.js';

/** Everything needed to train one trial again outside a sweep. */
export interface TrialConfig {
  dataset: DatasetRef;
  model: ModelSpec;
  epochs: number;
  validationSplit: number;
  /** The held-out test part, when the study has one: it changes which rows train. */
  testSplit?: number;
  /** The trial's own seed: weight initialisation and batch shuffling. */
  seed: number;
  /** The study seed: the train/validation split, the same for every trial of the study. */
  splitSeed: number;
  params: TrialParams;
}

/** One ranked trial as JSON and YAML exports write it. */
export interface ExportedTrial {
  rank: number;
  number: number;
  value: number | null;
  bestEpoch: number | null;
  epochsRun: number;
  durationMs: number | null;
  backend: string | null;
  params: TrialParams;
  /** Test metrics at the best validation epoch, when the study has a test part. */
  testMetrics?: Record<string, number>;
  config: TrialConfig;
  /** The study spec narrowed to this trial's values: `tunebench sweep` re-runs it as one trial. */
  spec: StudySpec;
}

/** The JSON / YAML export document. */
export interface ExportDocument {
  study: {
    id: number;
    name: string;
    objective: Study['objective'];
    strategy: Study['strategy'];
    dataset: { name: string; fingerprint: string };
  };
  exportedAt: string;
  appVersion: string;
  trials: ExportedTrial[];
}

/** Comparator: the better value first under the direction; ties keep the earlier trial first. */
function ranksBefore(a: Trial, b: Trial, direction: Direction): number {
  const av = a.value ?? Number.NaN;
  const bv = b.value ?? Number.NaN;
  if (av !== bv) return direction === 'maximize' ? bv - av : av - bv;
  return a.number - b.number;
}

/**
 * The `top` best complete trials, best first, honoring the objective's direction. The store
 * sorts; the result is re-sorted here too so a tie or a store quirk cannot reorder ranks.
 */
export async function bestTrials(store: Store, study: Study, top: number): Promise<Trial[]> {
  const { rows } = await store.listTrials(study.id, {
    states: ['complete'],
    sort: 'value',
    descending: study.objective.direction === 'maximize',
    limit: top,
  });
  return (await withTestMetrics(store, rows))
    .filter((trial) => trial.value !== null && Number.isFinite(trial.value))
    .sort((a, b) => ranksBefore(a, b, study.objective.direction))
    .slice(0, top);
}

/**
 * The dataset reference a re-run should use: a CSV given relative to the sweep's working
 * directory becomes the absolute path the study recorded, so the export runs from anywhere.
 */
export function datasetRefFor(spec: StudySpec, dataset: DatasetInfo | null): DatasetRef {
  const ref = spec.dataset;
  if (typeof ref === 'string' || dataset?.source !== 'csv' || !dataset.path) return ref;
  return { ...ref, csv: dataset.path };
}

export function trialConfig(study: Study, trial: Trial, dataset: DatasetInfo | null): TrialConfig {
  const { spec } = study;
  return {
    dataset: datasetRefFor(spec, dataset),
    model: spec.model,
    epochs: spec.epochs,
    validationSplit: spec.validationSplit,
    ...(spec.testSplit === undefined ? {} : { testSplit: spec.testSplit }),
    seed: trial.seed,
    splitSeed: spec.seed,
    params: trial.params,
  };
}

/** The worker's job for a trial trained again outside a sweep (the program, model export's retrain). */
export type ExportedJob = Omit<TrialJob, 'trialId' | 'baseDir' | 'saveModelTo' | 'checkpointBy'>;

/** One job for every export that trains: the same split (test part included), seeds and data. */
export function exportedJob(config: TrialConfig, trial: Trial, datasetFingerprint: string): ExportedJob {
  return {
    number: trial.number,
    params: config.params,
    seed: config.seed,
    dataset: config.dataset,
    datasetFingerprint,
    model: config.model,
    epochs: config.epochs,
    validationSplit: config.validationSplit,
    ...(config.testSplit === undefined ? {} : { testSplit: config.testSplit }),
    splitSeed: config.splitSeed,
  };
}

/**
 * How many epochs a re-run needs to reach the trial's value: up to its best epoch, unless the
 * schedule depends on the run's length (cosine), which keeps every epoch so each one trains at
 * the same rate; its value is then restored by the objective's rule (the best epoch's metric).
 */
export function epochsToReproduce(study: Study, trial: Trial): number {
  if (trial.bestEpoch === null || scheduleUsesHorizon(trial.params.lrSchedule)) return study.spec.epochs;
  return Math.min(study.spec.epochs, trial.bestEpoch + 1);
}

/**
 * The study spec with every hyperparameter fixed to the trial's value (a one-point grid) that
 * trains the trial again: the study seed (the same split), the trial's own seed (`trialSeed`:
 * weights, batch order, dropout) and the epochs up to its best one.
 */
export function singlePointSpec(study: Study, trial: Trial, dataset: DatasetInfo | null): StudySpec {
  const p = trial.params;
  const space: SpaceSpec = {
    optimizer: p.optimizer,
    learningRate: p.learningRate,
    batchSize: p.batchSize,
    lrSchedule: p.lrSchedule,
  };
  for (const name of ['momentum', 'decayRate', 'decaySteps', 'decay', 'minLrFraction'] as const) {
    const value = p[name];
    if (value !== undefined) space[name] = value;
  }
  const name = `${study.name}-trial${trial.number}`.slice(0, 200);
  const spec: StudySpec = {
    ...study.spec,
    name,
    dataset: datasetRefFor(study.spec, dataset),
    epochs: epochsToReproduce(study, trial),
    trialSeed: trial.seed,
    // The trial's tuned model, fixed: the one-point spec trains exactly that network.
    model: trialModel(study.spec.model, p),
    space,
    search: { strategy: 'grid' },
  };
  // One trial needs one worker; the sweep's count would only be capped.
  delete spec.workers;
  delete spec.reruns; // they name the study's trial numbers, not this one-point study's
  return spec;
}

export function exportedTrial(study: Study, trial: Trial, rank: number, dataset: DatasetInfo | null): ExportedTrial {
  return {
    rank,
    number: trial.number,
    value: trial.value,
    bestEpoch: trial.bestEpoch,
    epochsRun: trial.epochsRun,
    durationMs: trial.durationMs,
    backend: trial.backend,
    params: trial.params,
    ...(trial.testMetrics ? { testMetrics: trial.testMetrics } : {}),
    config: trialConfig(study, trial, dataset),
    spec: singlePointSpec(study, trial, dataset),
  };
}

export function exportDocument(
  study: Study,
  trials: readonly Trial[],
  dataset: DatasetInfo | null,
  meta: { exportedAt: Date; appVersion: string },
): ExportDocument {
  return {
    study: {
      id: study.id,
      name: study.name,
      objective: study.objective,
      strategy: study.strategy,
      dataset: { name: study.datasetName, fingerprint: study.datasetFingerprint },
    },
    exportedAt: meta.exportedAt.toISOString(),
    appVersion: meta.appVersion,
    trials: trials.map((trial, index) => exportedTrial(study, trial, index + 1, dataset)),
  };
}
