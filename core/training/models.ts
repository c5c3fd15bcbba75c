import * as tf from './tf.js';
import type { ModelSpec } from '../api/spec.js';
import { TunebenchError } from '../api/errors.js';
import type { DatasetSplit } from '../data/dataset.js';

/** What a model needs to know about its data. */
export type DataShape = Pick<DatasetSplit, 'featureCount' | 'classCount' | 'task' | 'imageShape'>;

function mismatch(message: string): TunebenchError {
  return new TunebenchError('DATASET_MISMATCH', message, [{ where: '/model/type', message }]);
}

function check(spec: ModelSpec, data: DataShape): void {
  const task = data.task;
  if (spec.type === 'linear' && task !== 'regression') {
    throw mismatch(`model "linear" is for regression, but the dataset is ${task}: use logistic or mlp`);
  }
  if (spec.type === 'logistic' && task !== 'classification') {
    throw mismatch(`model "logistic" is for classification, but the dataset is ${task}: use linear or mlp`);
  }
  if (spec.type === 'cnn' && !data.imageShape) {
    throw mismatch('model "cnn" needs an image dataset (such as builtin:mnist); this one has no image shape');
  }
  if (spec.type === 'cnn' && data.imageShape && Math.min(data.imageShape[0], data.imageShape[1]) < 4) {
    throw mismatch(`model "cnn" needs images of at least 4x4 pixels, got ${data.imageShape.join('x')}`);
  }
  if (task === 'classification' && data.classCount < 2) {
    throw mismatch(`model "${spec.type}" needs at least 2 classes, the dataset has ${data.classCount}`);
  }
}

/**
 * A sequential model for the spec, its weights drawn from `seed` (same seed, same weights).
 * The input is the flat feature vector (a cnn reshapes it to the image). A classifier ends in a
 * separate softmax Activation layer so the trainer can stop one layer short and take logits,
 * which keeps the loss stable; the saved model still outputs probabilities.
 *
 * linear   Dense(1)                                  regression only
 * logistic Dense(classes) softmax                    classification only
 * mlp      [Dense(h, activation), Dropout?]* -> output
 * cnn      Conv 8@3x3 relu, MaxPool 2, Conv 16@3x3 relu, MaxPool 2, Flatten, [Dense(h)]* -> output
 *          ('same' padding, so any image of 4x4 or more fits; MNIST ends at 7x7x16)
 */
export function buildModel(spec: ModelSpec, data: DataShape, seed: number): tf.Sequential {
  check(spec, data);
  let layerIndex = 0;
  // A different seed per layer: equal shapes must not get equal weights.
  const init = () => tf.initializers.glorotUniform({ seed: (seed >>> 0) * 64 + layerIndex++ });
  const model = tf.sequential();
  const inputShape = [data.featureCount];
  // Recorded in the layer config so a saved model says what it was trained with; the trainer adds
  // the penalty itself (l2Penalty), since it does not train through model.fit.
  const kernelRegularizer = spec.l2 ? tf.regularizers.l2({ l2: spec.l2 }) : undefined;
  const dense = (units: number, activation: ModelSpec['activation']) =>
    tf.layers.dense({ units, activation, kernelInitializer: init(), kernelRegularizer });

  if (spec.type === 'cnn' && data.imageShape) {
    model.add(tf.layers.reshape({ targetShape: data.imageShape, inputShape }));
    for (const filters of [8, 16]) {
      const kernelInitializer = init();
      model.add(tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer }));
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    }
    model.add(tf.layers.flatten());
  } else {
    model.add(tf.layers.inputLayer({ inputShape }));
  }
  const hidden = spec.type === 'mlp' || spec.type === 'cnn' ? spec.hidden : [];
  for (const units of hidden) {
    model.add(dense(units, spec.activation));
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
  }
  if (data.task === 'classification') {
    model.add(dense(data.classCount, 'linear'));
    model.add(tf.layers.activation({ activation: 'softmax' }));
  } else {
    model.add(dense(1, 'linear'));
  }
  return model;
}

/**
 * Keras's L2 kernel regularizer: l2 * the sum of squares of every Dense kernel, added to the
 * training loss; null when l2 is 0 or absent. Call it inside the optimizer's loss function.
 */
export function l2Penalty(model: tf.Sequential, l2: number | undefined): tf.Scalar | null {
  if (!l2) return null;
  const kernels = model.layers
    .filter((layer) => layer.getClassName() === 'Dense')
    .map((layer) => layer.trainableWeights[0]?.read())
    .filter((kernel): kernel is tf.Tensor => kernel !== undefined);
  if (kernels.length === 0) return null;
  return tf.mul(l2, tf.addN(kernels.map((kernel) => tf.sum(tf.square(kernel))))) as tf.Scalar;
}

/** Whether the model's last layer is the softmax the trainer skips to get logits. */
export function endsInSoftmax(model: tf.Sequential): boolean {
  const last = model.layers[model.layers.length - 1];
  return last?.getClassName() === 'Activation' && last.getConfig().activation === 'softmax';
}

export interface DenseStep {
  kind: 'dense';
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable;
  activation: (x: tf.Tensor) => tf.Tensor;
  activationName: string;
}

export interface DropoutStep {
  kind: 'dropout';
  rate: number;
}

type Step = { kind: 'layer'; layer: tf.layers.Layer } | DenseStep | DropoutStep;

// The same ops tfjs-layers' activations run, called directly.
export const activationOps: Record<string, (x: tf.Tensor) => tf.Tensor> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x),
};

/**
 * A Dense layer as matMul, add and its activation, three kernels: layer.apply (and tf.fused's
 * custom gradient) add about ten bookkeeping ops (identities, reshapes) forward and as many
 * backward, and on a small model each op costs more than its arithmetic.
 */
function denseStep(layer: tf.layers.Layer): Step {
  const activationName = String(layer.getConfig().activation);
  const activation = activationOps[activationName];
  const [kernel, bias] = layer.trainableWeights;
  return activation && kernel && bias && layer.trainableWeights.length === 2
    ? { kind: 'dense', kernel, bias, activation, activationName }
    : { kind: 'layer', layer };
}

// Worked out once per model: reading layer configs on every batch is wasted work.
const plans = new WeakMap<tf.Sequential, Step[]>();

function planOf(model: tf.Sequential): Step[] {
  let plan = plans.get(model);
  if (plan) return plan;
  const layers = endsInSoftmax(model) ? model.layers.slice(0, -1) : model.layers;
  plan = layers
    .filter((layer) => layer.getClassName() !== 'InputLayer')
    .map((layer): Step => {
      const name = layer.getClassName();
      if (name === 'Dropout') return { kind: 'dropout', rate: Number(layer.getConfig().rate) };
      return name === 'Dense' ? denseStep(layer) : { kind: 'layer', layer };
    });
  plans.set(model, plan);
  return plan;
}

/** The model as Dense and Dropout steps only (an MLP, linear or logistic), else null. */
export function densePlan(model: tf.Sequential): (DenseStep | DropoutStep)[] | null {
  const plan = planOf(model);
  return plan.every((step): step is DenseStep | DropoutStep => step.kind !== 'layer') ? plan : null;
}

/**
 * What tf.dropout multiplies by, built with its very ops (floor(uniform + keep) / keep, seeded),
 * so a backward pass by hand can multiply the gradient by the same mask.
 */
export function dropoutMultiplier(shape: number[], rate: number, seed: number): tf.Tensor {
  const keep = 1 - rate;
  return tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', seed), keep)), keep);
}

/**
 * Runs the model layer by layer up to its logits (classification) or its prediction (regression).
 * Dropout is applied only when `dropoutSeed` is given, with a seed per call: tfjs's own Dropout
 * reuses one fixed seed, so every step would drop the same units.
 */
export function forwardLogits(model: tf.Sequential, x: tf.Tensor, dropoutSeed: number | null): tf.Tensor {
  let out = x;
  let dropoutIndex = 0;
  for (const step of planOf(model)) {
    if (step.kind === 'layer') out = step.layer.apply(out) as tf.Tensor;
    else if (step.kind === 'dense') {
      out = step.activation(tf.add(tf.matMul(out, step.kernel.read()), step.bias.read()));
    } else if (dropoutSeed !== null && step.rate > 0) {
      out = tf.mul(out, dropoutMultiplier(out.shape, step.rate, dropoutSeed + dropoutIndex++));
    }
  }
  return out;
}
