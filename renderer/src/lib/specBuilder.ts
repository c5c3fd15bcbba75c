import type { Direction, Task } from '../../../core/api/domain.js';
import type { ErrorIssue } from '../../../core/api/errors.js';
import type {
  MetricName,
  OptimizerName,
  ScheduleName,
  StudySpecInput,
  activationNames,
  modelTypes,
} from '../../../core/api/spec.js';
import { limitsSchema } from '../../../core/api/spec.js';
import { defaultScheduleParams, type ScheduleParams } from './schedulePreview.js';

export type ModelType = (typeof modelTypes)[number];
export type Activation = (typeof activationNames)[number];

/** Everything the new-study wizard edits, flat and form-friendly (lists as text). */
export interface WizardState {
  name: string;
  datasetMode: 'builtin' | 'csv';
  builtinKey: string;
  /** Set once the CSV is imported (datasets.importCsv). */
  csvPath: string;
  csvTarget: string;
  csvTask: Task;
  /** Columns of the CSV left out of the features. */
  csvDropColumns: string[];
  modelType: ModelType;
  hidden: string;
  activation: Activation;
  dropout: number;
  metric: MetricName;
  direction: Direction;
  epochs: number;
  validationSplit: number;
  /** 0: no test part. */
  testSplit: number;
  optimizers: OptimizerName[];
  momentum: number;
  lrLow: number;
  lrHigh: number;
  lrLog: boolean;
  lrPoints: number;
  batchSizes: string;
  schedules: ScheduleName[];
  schedule: ScheduleParams;
  strategy: 'grid' | 'random' | 'tpe' | 'sobol';
  /** Early stopping with its defaults (median, ASHA, Hyperband), or none. */
  pruner: 'none' | 'median' | 'asha' | 'hyperband';
  trials: number;
  searchSeed: number;
  workers: number;
  seed: number;
  /** limits: per-trial timeout, crash retries, failures in a row that stop the sweep. */
  trialTimeoutSeconds: number;
  maxRetries: number;
  maxConsecutiveFailures: number;
  /** limits.maxMinutes, the run's wall-clock budget; undefined: none. Always a key, so Start over and a loaded spec clear it. */
  maxMinutes: number | undefined;
  /** packing: { maxTrials: packMaxTrials } when on; off sends no packing. */
  isPacking: boolean;
  packMaxTrials: number;
}

export function defaultWizardState(): WizardState {
  return {
    name: '',
    datasetMode: 'builtin',
    builtinKey: 'builtin:iris',
    csvPath: '',
    csvTarget: '',
    csvTask: 'classification',
    csvDropColumns: [],
    modelType: 'mlp',
    hidden: '16',
    activation: 'relu',
    dropout: 0,
    metric: 'val_accuracy',
    direction: 'maximize',
    epochs: 20,
    validationSplit: 0.2,
    testSplit: 0,
    optimizers: ['sgd', 'adam'],
    momentum: 0.9,
    lrLow: 0.001,
    lrHigh: 0.1,
    lrLog: true,
    lrPoints: 3,
    batchSizes: '16, 32',
    schedules: ['constant'],
    schedule: { ...defaultScheduleParams },
    strategy: 'grid',
    pruner: 'none',
    trials: 20,
    searchSeed: 7,
    workers: 2,
    seed: 42,
    ...limitsSchema.parse({}),
    maxMinutes: undefined,
    isPacking: false,
    packMaxTrials: 4,
  };
}

/** A number field's text: empty (or blank) is undefined, as for an optional spec field. */
export function parseOptionalNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/** Parses "16, 32 64" into positive integers; null when any part is not one. */
export function parseIntList(text: string): number[] | null {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  const values = parts.map(Number);
  if (values.some((value) => !Number.isInteger(value) || value <= 0)) return null;
  return values;
}

export interface BuiltSpec {
  spec: StudySpecInput;
  /** Form problems found before the server sees the spec (same shape as server issues). */
  problems: ErrorIssue[];
}

function learningRateDomain(state: WizardState): StudySpecInput['space']['learningRate'] {
  if (state.lrLow === state.lrHigh) return state.lrLow;
  const range: [number, number] = [state.lrLow, state.lrHigh];
  const gridPoints = state.strategy === 'grid' ? state.lrPoints : undefined;
  const base = state.lrLog ? { logUniform: range } : { uniform: range };
  return gridPoints === undefined ? base : { ...base, gridPoints };
}

/** Turns wizard state into a spec as a user would write it; the server applies defaults. */
export function buildSpec(state: WizardState): BuiltSpec {
  const problems: ErrorIssue[] = [];
  const batchSizes = parseIntList(state.batchSizes);
  if (!batchSizes || batchSizes.length === 0) {
    problems.push({ where: '/space/batchSize', message: 'enter positive whole numbers, e.g. 16, 32' });
  }
  const hasHidden = state.modelType === 'mlp' || state.modelType === 'cnn';
  const hidden = hasHidden ? parseIntList(state.hidden) : [];
  if (hidden === null) problems.push({ where: '/model/hidden', message: 'enter layer widths, e.g. 32, 16' });
  if (state.optimizers.length === 0) problems.push({ where: '/space/optimizer', message: 'pick at least one optimizer' });
  if (state.schedules.length === 0) problems.push({ where: '/space/lrSchedule', message: 'pick at least one schedule' });
  if (state.datasetMode === 'csv' && !state.csvPath) {
    problems.push({ where: '/dataset', message: 'choose a CSV file to import' });
  }
  // The schema takes 1 (each trial alone) and checks the rest; on, the form means at least a pair.
  if (state.isPacking && state.packMaxTrials < 2) {
    problems.push({ where: '/packing/maxTrials', message: 'at least 2 trials per worker, or turn packing off' });
  }

  const space: StudySpecInput['space'] = {
    optimizer: { choice: [...state.optimizers] },
    learningRate: learningRateDomain(state),
    batchSize: { choice: batchSizes ?? [] },
    lrSchedule: { choice: [...state.schedules] },
  };
  if (state.optimizers.some((name) => name === 'momentum' || name === 'nesterov')) space.momentum = state.momentum;
  if (state.schedules.some((name) => name === 'exponential' || name === 'step')) {
    space.decayRate = state.schedule.decayRate;
    space.decaySteps = state.schedule.decaySteps;
  }
  if (state.schedules.includes('inverse-time')) space.decay = state.schedule.decay;
  if (state.schedules.includes('cosine')) space.minLrFraction = state.schedule.minLrFraction;

  const spec: StudySpecInput = {
    dataset:
      state.datasetMode === 'builtin'
        ? state.builtinKey
        : {
            csv: state.csvPath,
            target: state.csvTarget,
            task: state.csvTask,
            ...(state.csvDropColumns.length > 0 ? { dropColumns: [...state.csvDropColumns] } : {}),
          },
    model: { type: state.modelType, hidden: hidden ?? [], activation: state.activation, dropout: state.dropout },
    objective: { metric: state.metric, direction: state.direction },
    epochs: state.epochs,
    validationSplit: state.validationSplit,
    ...(state.testSplit > 0 ? { testSplit: state.testSplit } : {}),
    space,
    search:
      state.strategy === 'grid'
        ? { strategy: 'grid' }
        : { strategy: state.strategy, trials: state.trials, seed: state.searchSeed },
    pruner: { type: state.pruner },
    workers: state.workers,
    ...(state.isPacking ? { packing: { maxTrials: state.packMaxTrials } } : {}),
    seed: state.seed,
    limits: {
      trialTimeoutSeconds: state.trialTimeoutSeconds,
      maxRetries: state.maxRetries,
      maxConsecutiveFailures: state.maxConsecutiveFailures,
      ...(state.maxMinutes === undefined ? {} : { maxMinutes: state.maxMinutes }),
    },
  };
  const name = state.name.trim();
  return { spec: name ? { name, ...spec } : spec, problems };
}

/** Trials the form describes, for an instant count while the server's answer is pending. */
export function localTrialCount(state: WizardState): number {
  if (state.strategy !== 'grid') return state.trials;
  const batches = parseIntList(state.batchSizes)?.length ?? 0;
  const rates = state.lrLow === state.lrHigh ? 1 : state.lrPoints;
  return state.optimizers.length * rates * batches * state.schedules.length;
}
