import type { DatasetInfo, Study, Trial } from '../api/domain.js';
import { appPath } from '../paths.js';
import type { TrialConfig } from './exportData.js';
import { backendCode, commentText, describeModel, literal, lossCode, modelCode, optimizerCode, scheduleCode } from './tsSnippetParts.js';

export interface SnippetInput {
  study: Study;
  trial: Trial;
  config: TrialConfig;
  dataset: DatasetInfo;
  now: Date;
  appVersion: string;
  /** Tunebench's core/data/index.ts, loaded by absolute path; this checkout's by default. */
  dataModulePath?: string;
  /** Tunebench's core/training/wasmKernels.ts, for a cnn on wasm; this checkout's by default. */
  kernelsModulePath?: string;
}

function paramSummary(config: TrialConfig): string {
  const p = config.params;
  const extras = (['momentum', 'decayRate', 'decaySteps', 'decay', 'minLrFraction'] as const)
    .filter((name) => p[name] !== undefined)
    .map((name) => `${name} ${p[name]}`);
  return [`optimizer ${p.optimizer}`, `learning rate ${p.learningRate}`, `batch size ${p.batchSize}`, `schedule ${p.lrSchedule}`, ...extras].join(', ');
}

function header(input: SnippetInput): string {
  const { study, trial, config, dataset } = input;
  const lines = [
    `Tunebench: the best trial (number ${trial.number}) of study ${literal(study.name)}, as a standalone program.`,
    `Objective: ${study.objective.direction} ${study.objective.metric}; the sweep recorded ${trial.value} at epoch ${trial.bestEpoch} (epochs count from 0).`,
    `Dataset: ${literal(config.dataset)}, ${dataset.rows} rows, fingerprint ${dataset.fingerprint}.`,
    `Model: ${describeModel(config.model, dataset)}. Trained ${config.epochs} epochs, validation split ${config.validationSplit}.`,
    `Hyperparameters: ${paramSummary(config)}.`,
    `Ran on the ${literal(trial.backend ?? 'unknown')} backend; exported by Tunebench ${input.appVersion} at ${input.now.toISOString()}.`,
    '',
    'Run it on this machine with:  npx tsx <this file>',
    'It imports @tensorflow/tfjs and pure-rand, so keep it where those resolve (inside the Tunebench',
    'checkout, or a folder after `npm i @tensorflow/tfjs pure-rand`). The data comes from Tunebench',
    'itself (TUNEBENCH below, loaded by absolute path until tunebench is an installable package), so',
    'the rows, the split and the standardisation are exactly the sweep\'s.',
  ];
  return lines.map((line) => (line ? `// ${commentText(line)}` : '//')).join('\n');
}

const dataTypes = `// The parts of Tunebench's data module this program uses.
interface Split {
  featureCount: number;
  trainX: Float32Array;
  trainY: Float32Array;
  valX: Float32Array;
  valY: Float32Array;
  trainRows: number;
  valRows: number;
  /** Regression: targets are standardised; MAE is reported back in the target's units. */
  targetStd?: number;
}
interface TunebenchData {
  loadDataset(ref: unknown, baseDir: string): Promise<unknown>;
  splitDataset(dataset: unknown, validationSplit: number, seed: number): Split;
}

/** Everything one training run holds. */
interface Run {
  model: tf.Sequential;
  optimizer: tf.Optimizer;
  variables: tf.Variable[];
  trainX: tf.Tensor2D;
  trainY: tf.Tensor;
  valX: tf.Tensor2D;
  valY: tf.Tensor;
  shuffleRng: RandomGenerator;
  dropoutRng: RandomGenerator;
}`;

const helpers = `/** 0..rows-1 in a seeded order (Fisher-Yates), a new order each epoch from the same generator. */
function shuffled(rows: number, rng: RandomGenerator): Int32Array {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  for (let i = rows - 1; i > 0; i--) {
    const j = unsafeUniformIntDistribution(0, i, rng);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * The layers up to the logits. Dropout is applied by hand with a fresh seed per step (tfjs's
 * Dropout layer would reuse one fixed seed), and not at all when dropoutSeed is null (validation).
 */
function forward(model: tf.Sequential, x: tf.Tensor, dropoutSeed: number | null): tf.Tensor {
  let out = x;
  let dropoutIndex = 0;
  for (const layer of model.layers) {
    const kind = layer.getClassName();
    if (kind === 'InputLayer') continue;
    if (kind === 'Dropout') {
      if (dropoutSeed !== null) out = tf.dropout(out, DROPOUT, undefined, dropoutSeed + dropoutIndex++);
      continue;
    }
    out = layer.apply(out) as tf.Tensor;
  }
  return out;
}

/** One pass over the training rows in batches; returns the mean loss and metric. */
function trainEpoch(run: Run, rows: number): { loss: number; metric: number } {
  const order = shuffled(rows, run.shuffleRng);
  let lossSum = 0;
  let metricSum = 0;
  for (let start = 0; start < rows; start += BATCH_SIZE) {
    const batch = order.subarray(start, Math.min(rows, start + BATCH_SIZE));
    const dropoutSeed = DROPOUT > 0 ? run.dropoutRng.unsafeNext() >>> 0 : null;
    const kept: { metric?: tf.Scalar } = {};
    const cost = tf.tidy(() => {
      const indices = tf.tensor1d(batch, 'int32');
      const x = tf.gather(run.trainX, indices);
      const y = tf.gather(run.trainY, indices);
      const step = () => {
        const out = forward(run.model, x, dropoutSeed);
        kept.metric = tf.keep(metricSumOf(out, y));
        return lossOf(out, y);
      };
      return run.optimizer.minimize(step, true, run.variables) as tf.Scalar;
    });
    lossSum += cost.dataSync()[0]! * batch.length;
    metricSum += kept.metric?.dataSync()[0] ?? NaN;
    tf.dispose([cost, kept.metric]);
  }
  return { loss: lossSum / rows, metric: metricSum / rows };
}

/** Loss and metric over the validation rows, 1024 rows per forward pass, no dropout. */
function validate(run: Run, rows: number): { loss: number; metric: number } {
  let lossSum = 0;
  let metricSum = 0;
  for (let start = 0; start < rows; start += 1024) {
    const size = Math.min(1024, rows - start);
    const [loss, metric] = tf.tidy(() => {
      const x = tf.slice(run.valX, [start, 0], [size, -1]);
      const y = tf.slice(run.valY, start, size);
      const out = forward(run.model, x, null);
      return [lossOf(out, y), metricSumOf(out, y)];
    });
    lossSum += loss!.dataSync()[0]! * size;
    metricSum += metric!.dataSync()[0]!;
    tf.dispose([loss, metric]);
  }
  return { loss: lossSum / rows, metric: metricSum / rows };
}`;

const mainCode = `async function main(): Promise<void> {
  await useBackend();
  const data = (await import(TUNEBENCH)) as TunebenchData;
  const split = data.splitDataset(await data.loadDataset(DATASET, process.cwd()), VALIDATION_SPLIT, SPLIT_SEED);
  if (split.featureCount !== FEATURES) throw new Error(\`expected \${FEATURES} features, the dataset has \${split.featureCount}\`);
  const model = buildModel();
  const run: Run = {
    model,
    optimizer: createOptimizer(),
    variables: model.trainableWeights.map((weight) => weight.read() as tf.Variable),
    trainX: tf.tensor2d(split.trainX, [split.trainRows, FEATURES]),
    trainY: labelTensor(split.trainY, split.trainRows),
    valX: tf.tensor2d(split.valX, [split.valRows, FEATURES]),
    valY: labelTensor(split.valY, split.valRows),
    shuffleRng: xoroshiro128plus(SEED),
    dropoutRng: xoroshiro128plus(SEED ^ 0x5bd1e995),
  };
  console.log(\`backend \${tf.getBackend()}: \${split.trainRows} training rows, \${split.valRows} validation rows\`);
  let best: { value: number; epoch: number } | null = null;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const lr = learningRateAt(epoch);
    setLearningRate(run.optimizer, lr);
    const train = trainEpoch(run, split.trainRows);
    const val = validate(run, split.valRows);
    const metricScale = split.targetStd ?? 1;
    const metrics: Record<string, number> = {
      loss: train.loss,
      [METRIC_NAMES[0]]: train.metric * metricScale,
      val_loss: val.loss,
      [METRIC_NAMES[1]]: val.metric * metricScale,
    };
    if (!Number.isFinite(train.loss) || !Number.isFinite(val.loss)) throw new Error(\`diverged at epoch \${epoch}: loss \${train.loss}\`);
    const value = metrics[OBJECTIVE] ?? NaN;
    if (best === null || (MAXIMIZE ? value > best.value : value < best.value)) best = { value, epoch };
    const shown = Object.entries(metrics).map(([name, v]) => \`\${name} \${v.toPrecision(5)}\`).join('  ');
    console.log(\`epoch \${String(epoch).padStart(3)}  lr \${lr.toPrecision(4)}  \${shown}\`);
  }
  // The value is the objective at its best epoch, as Tunebench reports it.
  console.log(\`final value: \${best?.value} (\${OBJECTIVE} at epoch \${best?.epoch}; the sweep recorded \${RECORDED_VALUE} at epoch \${RECORDED_BEST_EPOCH})\`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});`;

/**
 * A runnable TypeScript program that trains the trial again with @tensorflow/tfjs: Tunebench's
 * own data loading and split, then the model, optimizer, schedule, loss and training loop
 * written out with the trial's numbers, mirroring core/training step for step so that on the
 * same backend it reproduces the sweep's numbers.
 */
export function tsSnippet(input: SnippetInput): string {
  const { study, trial, config, dataset } = input;
  const needsKernels = config.model.type === 'cnn';
  const backend = backendCode(trial.backend, needsKernels ? (input.kernelsModulePath ?? appPath('core', 'training', 'wasmKernels.ts')) : null);
  const isClassifier = dataset.task === 'classification';
  const constants = [
    `const TUNEBENCH = ${literal(input.dataModulePath ?? appPath('core', 'data', 'index.ts'))};`,
    '',
    `const DATASET = ${literal(config.dataset)};`,
    `const VALIDATION_SPLIT = ${config.validationSplit};`,
    `const SPLIT_SEED = ${config.splitSeed}; // the study seed: every trial of the study uses the same split`,
    `const SEED = ${config.seed}; // this trial's seed: initial weights, batch order, dropout`,
    `const EPOCHS = ${config.epochs};`,
    `const BATCH_SIZE = ${config.params.batchSize};`,
    `const LEARNING_RATE = ${config.params.learningRate};`,
    `const DROPOUT = ${config.model.dropout};`,
    `const FEATURES = ${dataset.featureCount};`,
    ...(isClassifier ? [`const CLASSES = ${dataset.classes?.length ?? 0}; // ${commentText((dataset.classes ?? []).join(', '))}`] : []),
    `const OBJECTIVE = ${literal(study.objective.metric)};`,
    `const MAXIMIZE = ${study.objective.direction === 'maximize'};`,
    `const RECORDED_VALUE = ${trial.value};`,
    `const RECORDED_BEST_EPOCH = ${trial.bestEpoch};`,
  ];
  return [
    header(input),
    '',
    "import * as tf from '@tensorflow/tfjs';",
    "import { unsafeUniformIntDistribution, xoroshiro128plus, type RandomGenerator } from 'pure-rand';",
    backend.imports,
    '',
    constants.join('\n'),
    '',
    scheduleCode(config.params),
    '',
    optimizerCode(config.params),
    '',
    modelCode(config.model, dataset, config.seed),
    '',
    lossCode(dataset),
    '',
    backend.body,
    '',
    dataTypes,
    '',
    helpers,
    '',
    mainCode,
    '',
  ]
    .filter((part, index, parts) => part !== '' || parts[index - 1] !== '')
    .join('\n');
}
