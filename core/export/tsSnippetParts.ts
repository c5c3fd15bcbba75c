import type { DatasetInfo } from '../api/domain.js';
import type { ModelSpec, TrialParams } from '../api/spec.js';
import { optimizerDefaults } from '../training/optimizers.js';
import { scheduleDefaults } from '../training/schedules.js';

/**
 * Code emitters for the runnable TS snippet: each returns TypeScript source with the trial's
 * numbers written in, mirroring core/training (models.ts, optimizers.ts, schedules.ts,
 * losses.ts) so a reader sees the exact configuration rather than a call into Tunebench.
 */

/** A JS literal for any JSON value, safe inside code and line comments (U+2028/9 escaped). */
export function literal(value: unknown): string {
  return JSON.stringify(value).replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029');
}

/** Text for a `//` comment: one line, no line terminators of any kind. */
export function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ');
}

/** The learning-rate schedule as a function of the epoch, with the trial's constants. */
export function scheduleCode(params: TrialParams): string {
  const head = '/** The learning rate for an epoch (counted from 0). */\nfunction learningRateAt(epoch: number): number {\n';
  const body = (comment: string, expression: string) => `${head}  // ${comment}\n  return ${expression};\n}`;
  switch (params.lrSchedule) {
    case 'constant':
      return body('constant schedule', 'LEARNING_RATE');
    case 'exponential': {
      const rate = params.decayRate ?? scheduleDefaults.exponential.decayRate;
      const steps = params.decaySteps ?? scheduleDefaults.exponential.decaySteps;
      return body(`exponential: times ${rate} every ${steps} epoch(s), smoothly`, `LEARNING_RATE * Math.pow(${rate}, epoch / ${steps})`);
    }
    case 'step': {
      const rate = params.decayRate ?? scheduleDefaults.step.decayRate;
      const steps = params.decaySteps ?? scheduleDefaults.step.decaySteps;
      return body(`step: times ${rate} after every ${steps} epochs`, `LEARNING_RATE * Math.pow(${rate}, Math.floor(epoch / ${steps}))`);
    }
    case 'inverse-time': {
      const decay = params.decay ?? scheduleDefaults.inverseTime.decay;
      return body(`inverse-time with decay ${decay}`, `LEARNING_RATE / (1 + ${decay} * epoch)`);
    }
    case 'inverse-sqrt':
      return body('inverse square root', 'LEARNING_RATE / Math.sqrt(1 + epoch)');
    case 'cosine': {
      const fraction = params.minLrFraction ?? scheduleDefaults.cosine.minLrFraction;
      return (
        `${head}  // cosine: from LEARNING_RATE down towards ${fraction} x LEARNING_RATE at the last epoch\n` +
        `  const minLr = LEARNING_RATE * ${fraction};\n` +
        '  return minLr + (LEARNING_RATE - minLr) * 0.5 * (1 + Math.cos((Math.PI * epoch) / Math.max(EPOCHS, 1)));\n}'
      );
    }
  }
}

/** The optimizer constructor with every constant spelled out, and how its rate is changed. */
export function optimizerCode(params: TrialParams): string {
  const d = optimizerDefaults;
  const momentum = params.momentum ?? d.momentum;
  // [constructor call, what its positional numbers are]
  const constructors: Record<TrialParams['optimizer'], [string, string]> = {
    sgd: ['tf.train.sgd(LEARNING_RATE)', 'plain SGD'],
    momentum: [`tf.train.momentum(LEARNING_RATE, ${momentum}, false)`, 'momentum, useNesterov'],
    nesterov: [`tf.train.momentum(LEARNING_RATE, ${momentum}, true)`, 'momentum, useNesterov'],
    adam: [`tf.train.adam(LEARNING_RATE, ${d.adam.beta1}, ${d.adam.beta2})`, 'beta1, beta2; epsilon: the backend default'],
    adagrad: [`tf.train.adagrad(LEARNING_RATE, ${d.adagrad.initialAccumulatorValue})`, 'initialAccumulatorValue'],
    adadelta: [`tf.train.adadelta(LEARNING_RATE, ${d.adadelta.rho})`, 'rho; epsilon: the backend default'],
    adamax: [`tf.train.adamax(LEARNING_RATE, ${d.adamax.beta1}, ${d.adamax.beta2}, undefined, ${d.adamax.decay})`, 'beta1, beta2, epsilon (default), decay'],
    rmsprop: [`tf.train.rmsprop(LEARNING_RATE, ${d.rmsprop.decay}, ${d.rmsprop.momentum})`, 'decay, momentum; epsilon: the backend default'],
  };
  const [call, note] = constructors[params.optimizer];
  const isSgdFamily = ['sgd', 'momentum', 'nesterov'].includes(params.optimizer);
  const setter = isSgdFamily
    ? '  // SGD and momentum keep -lr in a tensor: their own setter replaces it.\n  (optimizer as tf.SGDOptimizer).setLearningRate(lr);'
    : '  // This optimizer reads its learningRate field on every step, so assigning it is enough.\n  (optimizer as unknown as { learningRate: number }).learningRate = lr;';
  return (
    `function createOptimizer(): tf.Optimizer {\n  // ${note}\n  return ${call};\n}\n\n` +
    `function setLearningRate(optimizer: tf.Optimizer, lr: number): void {\n${setter}\n}`
  );
}

/**
 * The model as tfjs layers. Kernel seeds are trialSeed * 64 + layer index, as Tunebench draws
 * them, so the initial weights are the sweep's. A classifier ends in logits: the softmax is
 * inside the loss (log-softmax), which keeps it stable.
 */
export function modelCode(spec: ModelSpec, dataset: DatasetInfo, seed: number): string {
  let layerIndex = 0;
  const init = () => `init(${(seed >>> 0) * 64 + layerIndex++})`;
  const lines: string[] = [];
  const dense = (units: number, activation: string, note = '') =>
    lines.push(`tf.layers.dense({ units: ${units}, activation: ${literal(activation)}, kernelInitializer: ${init()} }),${note}`);
  if (spec.type === 'cnn' && dataset.imageShape) {
    lines.push(`tf.layers.reshape({ targetShape: ${literal(dataset.imageShape)}, inputShape: [FEATURES] }),`);
    for (const filters of [8, 16]) {
      lines.push(`tf.layers.conv2d({ filters: ${filters}, kernelSize: 3, activation: 'relu', kernelInitializer: ${init()} }),`);
      lines.push('tf.layers.maxPooling2d({ poolSize: 2 }),');
    }
    lines.push('tf.layers.flatten(),');
  } else {
    lines.push('tf.layers.inputLayer({ inputShape: [FEATURES] }),');
  }
  const hidden = spec.type === 'mlp' || spec.type === 'cnn' ? spec.hidden : [];
  for (const units of hidden) {
    dense(units, spec.activation);
    if (spec.dropout > 0) lines.push(`tf.layers.dropout({ rate: ${spec.dropout} }), // applied by hand in forward()`);
  }
  if (dataset.task === 'classification') dense(dataset.classes?.length ?? 0, 'linear', ' // one logit per class');
  else dense(1, 'linear', ' // the prediction');
  return (
    `/** ${commentText(describeModel(spec, dataset))}. */\n` +
    'function buildModel(): tf.Sequential {\n' +
    '  const init = (seed: number) => tf.initializers.glorotUniform({ seed });\n' +
    `  return tf.sequential({\n    layers: [\n${lines.map((line) => `      ${line}`).join('\n')}\n    ],\n  });\n}`
  );
}

export function describeModel(spec: ModelSpec, dataset: DatasetInfo): string {
  const hidden = spec.type === 'mlp' || spec.type === 'cnn' ? spec.hidden : [];
  const parts = [`${spec.type} model`];
  if (hidden.length > 0) parts.push(`hidden layers [${hidden.join(', ')}] ${spec.activation}`);
  if (spec.dropout > 0) parts.push(`dropout ${spec.dropout}`);
  parts.push(dataset.task === 'classification' ? `${dataset.classes?.length ?? 0} classes` : 'regression');
  return parts.join(', ');
}

/** Loss (mean over rows) and metric (summed over rows) for the task, as core/training/losses.ts. */
export function lossCode(dataset: DatasetInfo): string {
  if (dataset.task === 'classification') {
    return [
      '// Sparse categorical cross-entropy from logits; labels are class indices.',
      'function lossOf(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {',
      '  // int32 then cast: the wasm backend (4.22) writes int bits into a float32 oneHot.',
      `  const oneHot = tf.cast(tf.oneHot(labels as tf.Tensor1D, CLASSES), 'float32');`,
      '  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;',
      '}',
      '// How many rows the model gets right (accuracy = this / rows).',
      'function metricSumOf(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {',
      `  return tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32'));`,
      '}',
      'const labelTensor = (values: Float32Array, _rows: number): tf.Tensor =>',
      `  tf.tensor1d(Int32Array.from(values), 'int32');`,
      `const METRIC_NAMES = ['accuracy', 'val_accuracy'] as const;`,
    ].join('\n');
  }
  return [
    '// Mean squared error.',
    'function lossOf(output: tf.Tensor, labels: tf.Tensor): tf.Scalar {',
    '  return tf.mean(tf.square(tf.sub(output, labels)));',
    '}',
    '// Sum of absolute errors (mae = this / rows).',
    'function metricSumOf(output: tf.Tensor, labels: tf.Tensor): tf.Scalar {',
    '  return tf.sum(tf.abs(tf.sub(output, labels)));',
    '}',
    'const labelTensor = (values: Float32Array, rows: number): tf.Tensor => tf.tensor2d(values, [rows, 1]);',
    `const METRIC_NAMES = ['mae', 'val_mae'] as const;`,
  ].join('\n');
}

/**
 * Imports and a function selecting the backend the trial ran on, for the same float results.
 * `kernelsModule` (core/training/wasmKernels.ts) is loaded for a cnn on wasm, which lacks the
 * conv filter gradient that Tunebench adds.
 */
export function backendCode(backend: string | null, kernelsModule: string | null): { imports: string; body: string } {
  if (backend === 'wasm') {
    const kernels = kernelsModule
      ? [
          '  // tfjs-backend-wasm lacks the conv filter gradient; Tunebench registers one built from ops.',
          '  // It registers on the tfjs copy beside Tunebench: run this file where that copy resolves.',
          `  const kernelsModule = ${literal(kernelsModule)};`,
          '  const kernels = (await import(kernelsModule)) as { registerWasmTrainingKernels(): void };',
          '  kernels.registerWasmTrainingKernels();',
        ]
      : [];
    return {
      imports: "import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';\nimport { createRequire } from 'node:module';\nimport { dirname, sep } from 'node:path';",
      body: [
        'async function useBackend(): Promise<void> {',
        '  // A directory path, never a URL: the .wasm files of the copy installed beside Tunebench.',
        `  setWasmPaths(dirname(createRequire(TUNEBENCH).resolve('@tensorflow/tfjs-backend-wasm')) + sep);`,
        ...kernels,
        `  await tf.setBackend('wasm');`,
        '}',
      ].join('\n'),
    };
  }
  if (backend === 'tensorflow') {
    return {
      imports: '',
      body: [
        'async function useBackend(): Promise<void> {',
        '  // Native TensorFlow: needs `npm i @tensorflow/tfjs-node` (or -gpu) where this file runs.',
        `  await import('@tensorflow/tfjs-node');`,
        `  await tf.setBackend('tensorflow');`,
        '}',
      ].join('\n'),
    };
  }
  return { imports: '', body: `async function useBackend(): Promise<void> {\n  await tf.setBackend('cpu');\n}` };
}
