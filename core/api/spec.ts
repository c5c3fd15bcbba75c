import { z } from 'zod';
import { backendNames } from './backendNames.js';

/**
 * The search-space spec, as a user writes it in YAML or JSON. Unknown keys are rejected so a
 * typo never silently becomes a default. Parsing and error paths live in core/space/parseSpec.ts.
 */
export const optimizerNames = [
  'sgd',
  'momentum',
  'nesterov',
  'adam',
  'adagrad',
  'adadelta',
  'adamax',
  'rmsprop',
] as const;
export type OptimizerName = (typeof optimizerNames)[number];

export const scheduleNames = [
  'constant',
  'exponential',
  'step',
  'inverse-time',
  'inverse-sqrt',
  'cosine',
] as const;
export type ScheduleName = (typeof scheduleNames)[number];

// In a module of their own so a trial worker reads them without loading zod and the schemas.
export { backendNames, type BackendName } from './backendNames.js';

export const activationNames = ['relu', 'tanh', 'sigmoid', 'elu', 'selu', 'linear'] as const;
export type ActivationName = (typeof activationNames)[number];
export const modelTypes = ['linear', 'logistic', 'mlp', 'cnn'] as const;
export const metricNames = [
  'loss',
  'val_loss',
  'accuracy',
  'val_accuracy',
  'mae',
  'val_mae',
] as const;
export type MetricName = (typeof metricNames)[number];

const finite = z.number().finite();
const range = z
  .tuple([finite, finite])
  .refine(([low, high]) => low <= high, { message: 'low must not exceed high' });
const positiveRange = range.refine(([low]) => low > 0, {
  message: 'a log scale needs a low bound above 0',
});
const gridPoints = z.number().int().min(1).max(1000).optional();

/** A numeric hyperparameter: a fixed value, a list, or a range (sampled, or gridded by gridPoints). */
export const numericDomainSchema = z.union([
  finite,
  z.strictObject({ choice: z.array(finite).min(1, 'choice needs at least one value') }),
  z.strictObject({ uniform: range, gridPoints }),
  z.strictObject({ logUniform: positiveRange, gridPoints }),
]);
export type NumericDomain = z.infer<typeof numericDomainSchema>;

/** Batch size: a list, or an integer range (all powers of two inside it when powersOfTwo). */
export const batchDomainSchema = z.union([
  z.number().int().positive(),
  z.strictObject({
    choice: z.array(z.number().int().positive()).min(1, 'choice needs at least one value'),
  }),
  z.strictObject({
    intRange: z
      .tuple([z.number().int().positive(), z.number().int().positive()])
      .refine(([low, high]) => low <= high, { message: 'low must not exceed high' }),
    powersOfTwo: z.boolean().default(true),
  }),
]);
export type BatchDomain = z.infer<typeof batchDomainSchema>;

function choiceOf<T extends readonly [string, ...string[]]>(names: T) {
  return z.union([
    z.enum(names),
    z.strictObject({ choice: z.array(z.enum(names)).min(1, 'choice needs at least one value') }),
  ]);
}

export const datasetRefSchema = z.union([
  z.string().regex(/^builtin:[a-z0-9-]+$/, 'use builtin:NAME or { csv, target }'),
  z.strictObject({
    csv: z.string().min(1),
    target: z.string().min(1),
    task: z.enum(['classification', 'regression']).optional(),
    /** Columns left out of the features (ids, free text, leaks of the target). */
    dropColumns: z.array(z.string().min(1).max(200)).max(10_000).optional(),
  }),
]);
export type DatasetRef = z.infer<typeof datasetRefSchema>;

export const modelSpecSchema = z.strictObject({
  type: z.enum(modelTypes),
  hidden: z.array(z.number().int().min(1).max(4096)).max(8).default([]),
  activation: z.enum(activationNames).default('relu'),
  dropout: z.number().min(0).max(0.9).default(0),
  /** L2 weight decay on the Dense kernels (0 or absent: none); space.l2 tunes it. */
  l2: z.number().min(0).max(10).optional(),
});
export type ModelSpec = z.infer<typeof modelSpecSchema>;

export const spaceSchema = z.strictObject({
  optimizer: choiceOf(optimizerNames),
  learningRate: numericDomainSchema,
  batchSize: batchDomainSchema,
  lrSchedule: choiceOf(scheduleNames).default('constant'),
  /** Only for momentum and nesterov. */
  momentum: numericDomainSchema.optional(),
  /** exponential: factor per decaySteps epochs; step: factor every decaySteps epochs. */
  decayRate: numericDomainSchema.optional(),
  decaySteps: numericDomainSchema.optional(),
  /** inverse-time: lr / (1 + decay * epoch). */
  decay: numericDomainSchema.optional(),
  /** cosine: the floor as a fraction of the initial rate. */
  minLrFraction: numericDomainSchema.optional(),
  /** The model tuned too (core/space/modelParams.ts); each absent one keeps `model`'s value. */
  hiddenLayers: numericDomainSchema.optional(),
  /** Width of hidden layer k, only in trials with at least k hidden layers. */
  units1: numericDomainSchema.optional(),
  units2: numericDomainSchema.optional(),
  units3: numericDomainSchema.optional(),
  units4: numericDomainSchema.optional(),
  activation: choiceOf(activationNames).optional(),
  dropout: numericDomainSchema.optional(),
  /** L2 weight decay: l2 * sum of squared Dense kernels added to the training loss. */
  l2: numericDomainSchema.optional(),
});
export type SpaceSpec = z.infer<typeof spaceSchema>;

export const searchSchema = z.discriminatedUnion('strategy', [
  z.strictObject({ strategy: z.literal('grid') }),
  z.strictObject({
    strategy: z.literal('random'),
    trials: z.number().int().min(1).max(100_000),
    seed: z.number().int().optional(),
  }),
  /** Multivariate TPE: Sobol start-up trials, then Parzen estimators over a good/bad split. */
  z.strictObject({
    strategy: z.literal('tpe'),
    trials: z.number().int().min(1).max(100_000),
    seed: z.number().int().optional(),
    startupTrials: z.number().int().min(1).max(10_000).default(10),
    candidates: z.number().int().min(1).max(1000).default(24),
    /** Running trials count as the worst observed value, so parallel asks spread out. */
    constantLiar: z.boolean().default(true),
    /**
     * A finished study (name or id) whose trials seed the model from the first ask: same
     * objective, same parameter names and kinds (core/strategies/warmStart.ts says exactly).
     */
    warmStart: z.union([z.number().int().positive(), z.string().min(1).max(200)]).optional(),
  }),
  /** Scrambled Sobol points, seeded. */
  z.strictObject({
    strategy: z.literal('sobol'),
    trials: z.number().int().min(1).max(100_000),
    seed: z.number().int().optional(),
  }),
]);
export type SearchSpec = z.infer<typeof searchSchema>;

/** Early stopping. median: Optuna's rule, after startupTrials complete and warmupEpochs pass. */
export const prunerSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('none') }),
  z.strictObject({
    type: z.literal('median'),
    startupTrials: z.number().int().min(1).max(1000).default(5),
    warmupEpochs: z.number().int().min(0).max(10_000).default(3),
  }),
  /** Asynchronous successive halving: rungs at minEpochs * reductionFactor^k epochs. */
  z.strictObject({
    type: z.literal('asha'),
    minEpochs: z.number().int().min(1).max(10_000).default(1),
    reductionFactor: z.number().int().min(2).max(100).default(3),
    /** Spare trials within the curves' epoch-to-epoch noise of the cut (see AshaPruner). */
    noiseAware: z.boolean().default(true),
  }),
  /** Brackets of ASHA whose first rung starts at minEpochs * reductionFactor^s. */
  z.strictObject({
    type: z.literal('hyperband'),
    minEpochs: z.number().int().min(1).max(10_000).default(1),
    reductionFactor: z.number().int().min(2).max(100).default(3),
    /** Spare trials within the curves' epoch-to-epoch noise of the cut (see AshaPruner). */
    noiseAware: z.boolean().default(true),
  }),
]);
export type PrunerSpec = z.infer<typeof prunerSchema>;

/** The longest delay a Node timer holds (2^31-1 ms); beyond it Node fires after 1 ms. */
export const maxTimerMs = 2_147_483_647;
/** 24 days 20 h: the longest trial timeout a timer can keep; for no limit leave it at this. */
export const maxTrialTimeoutSeconds = Math.floor(maxTimerMs / 1000);

export const limitsSchema = z.strictObject({
  /** A trial running longer is stopped and failed with reason timeout. */
  trialTimeoutSeconds: z
    .number()
    .positive()
    .max(maxTrialTimeoutSeconds, `at most ${maxTrialTimeoutSeconds} seconds (24.8 days), the longest a timer can wait`)
    .default(3600),
  /** Crashes and lost heartbeats are retried this often; diverged trials never. */
  maxRetries: z.number().int().min(0).max(10).default(1),
  /** The sweep stops with a reason after this many failures in a row. */
  maxConsecutiveFailures: z.number().int().min(1).max(1000).default(5),
  /**
   * Wall-clock budget of one run (sweep or resume), like Optuna's optimize(timeout=): once spent,
   * no new trial starts; the running ones finish. Unset: no budget.
   */
  maxMinutes: z.number().positive().max(100_000).optional(),
});

/** A study name: shown in terminals and pages, so no control characters (escape sequences, NUL). */
export const studyNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'no control characters (escape sequences, tabs, NUL) in a name');

export const studySpecSchema = z.strictObject({
  name: studyNameSchema.optional(),
  dataset: datasetRefSchema,
  model: modelSpecSchema.default({ type: 'mlp', hidden: [16], activation: 'relu', dropout: 0 }),
  objective: z
    .strictObject({
      metric: z.enum(metricNames),
      direction: z.enum(['minimize', 'maximize']),
    })
    .default({ metric: 'val_loss', direction: 'minimize' }),
  epochs: z.number().int().min(1).max(10_000).default(20),
  validationSplit: z.number().gt(0).lt(1).default(0.2),
  /**
   * Rows held out for a final, honest score: never used for selection. The test metrics of each
   * trial's best validation epoch are stored and shown beside its (optimistic) validation value.
   */
  testSplit: z.number().gt(0).lt(1).optional(),
  space: spaceSchema,
  search: searchSchema.default({ strategy: 'grid' }),
  pruner: prunerSchema.default({ type: 'none' }),
  workers: z.number().int().min(1).max(64).optional(),
  /**
   * Trial packing (opt-in): up to maxTrials trials that share layer shapes, batch size and a
   * packable optimizer (sgd, momentum, nesterov, adam) train on one worker as one packed model,
   * each still its own trial (metrics, state, pruning, cancel). On wasm and cpu; elsewhere the
   * worker trains them one after another.
   */
  packing: z.strictObject({ maxTrials: z.number().int().min(1).max(64) }).optional(),
  /** Forces a backend (software GPU adapters included); unset picks the fastest that works. */
  backend: z.enum(backendNames).optional(),
  seed: z.number().int().default(0),
  /**
   * Every trial uses this seed (weights, batch order, dropout) instead of one derived from `seed`
   * and its number: an exported one-point spec pins the trial's own seed so it trains the same.
   */
  trialSeed: z.number().int().min(0).max(0x7fffffff).optional(),
  /**
   * Re-runs of finished trials with new seeds (written by `tunebench rerun`): trial `trial` is
   * trained again once per seed, as new trials of this study with the same params.
   */
  reruns: z
    .array(z.strictObject({ trial: z.number().int().min(0), seeds: z.array(z.number().int().min(0).max(0x7fffffff)).min(1).max(1000) }))
    .max(10_000)
    .optional(),
  limits: limitsSchema.default({
    trialTimeoutSeconds: 3600,
    maxRetries: 1,
    maxConsecutiveFailures: 5,
  }),
});
/** A spec after validation and defaults. */
export type StudySpec = z.infer<typeof studySpecSchema>;
/** A spec as written, before defaults. */
export type StudySpecInput = z.input<typeof studySpecSchema>;

/** One trial's hyperparameters, flat; conditional ones are absent when they do not apply. */
export interface TrialParams {
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  lrSchedule: ScheduleName;
  momentum?: number;
  decayRate?: number;
  decaySteps?: number;
  decay?: number;
  minLrFraction?: number;
  hiddenLayers?: number;
  units1?: number;
  units2?: number;
  units3?: number;
  units4?: number;
  activation?: ActivationName;
  dropout?: number;
  l2?: number;
}
export const trialParamsSchema = z.strictObject({
  optimizer: z.enum(optimizerNames),
  learningRate: z.number().positive(),
  batchSize: z.number().int().positive(),
  lrSchedule: z.enum(scheduleNames),
  momentum: z.number().optional(),
  decayRate: z.number().optional(),
  decaySteps: z.number().optional(),
  decay: z.number().optional(),
  minLrFraction: z.number().optional(),
  hiddenLayers: z.number().int().optional(),
  units1: z.number().int().optional(),
  units2: z.number().int().optional(),
  units3: z.number().int().optional(),
  units4: z.number().int().optional(),
  activation: z.enum(activationNames).optional(),
  dropout: z.number().optional(),
  l2: z.number().optional(),
});
