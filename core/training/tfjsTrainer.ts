import * as tf from './tf.js';
import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import type { ModelSpec, TrialParams } from '../api/spec.js';
import { TunebenchError } from '../api/errors.js';
import type { DatasetSplit } from '../data/dataset.js';
import { taskLoss, type TaskLoss } from './losses.js';
import { saveModelTo } from './modelFiles.js';
import { buildModel, forwardLogits, l2Penalty } from './models.js';
import { denseGradients, hasDenseGradients, type DensePlan } from './denseGradients.js';
import { fusedUpdater, type FusedUpdater } from './fusedUpdates.js';
import { trialModel } from '../space/modelParams.js';
import { createOptimizer, type TunableOptimizer } from './optimizers.js';
import { lrAt } from './schedules.js';
import { shuffledRows } from './shuffle.js';
import type { EpochResult, Trainer } from './trainer.js';

export interface TfjsTrainerOptions {
  /** Yield to the event loop once batches have run this long, so stop messages and heartbeats get in. */
  yieldEveryMs?: number;
  /** Rows per forward pass when validating. */
  evalBatchSize?: number;
  /** Our kernels on wasm/cpu: one per variable for sgd and adam updates (fusedUpdates.ts), one
   * cross-entropy (fusedLoss.ts), and with those a Dense stack's gradients by hand
   * (denseGradients.ts); false: tfjs's plain ops and its gradient tape. */
  fusedKernels?: boolean;
}

interface Built {
  params: TrialParams;
  epochs: number;
  model: tf.Sequential;
  /** L2 weight decay (the trial's, else the model spec's). */
  l2: number | undefined;
  variables: tf.Variable[];
  optimizer: TunableOptimizer;
  /** Set where a fused update replaces the tfjs optimizer's ops. */
  fused: FusedUpdater | null;
  /** Set where the gradients are worked out by hand (denseGradients.ts) instead of by the tape. */
  dense: DensePlan | null;
  task: TaskLoss;
  taskName: DatasetSplit['task'];
  hasDropout: boolean;
  trainX: tf.Tensor2D;
  trainY: tf.Tensor;
  valX: tf.Tensor2D;
  valY: tf.Tensor;
  trainRows: number;
  valRows: number;
  /** The held-out test part, when the spec has one: evaluated each epoch, never trained on. */
  test: HeldOut | null;
  /** Set for regression: metrics are scaled back to the target's units. */
  targetStd: number | undefined;
  shuffleRng: RandomGenerator;
  dropoutRng: RandomGenerator;
}

interface HeldOut {
  x: tf.Tensor2D;
  y: tf.Tensor;
  rows: number;
}

/** Running sums kept on the device: read once per epoch, never per batch. */
interface Sums {
  loss: tf.Scalar;
  metric: tf.Scalar;
}

/** Each step's outputs, summed once at the end of the epoch rather than with three ops a step. */
interface StepOutputs {
  costs: tf.Scalar[];
  metrics: tf.Scalar[];
  sizes: number[];
}

function epochSums(steps: StepOutputs): Sums {
  const sums = tf.tidy(() => steps.costs.length === 0
    ? { loss: tf.scalar(0), metric: tf.scalar(0) }
    : {
      // Each cost is its batch's mean: weighted by its rows, the sum is over every row.
      loss: tf.sum(tf.mul(tf.stack(steps.costs), tf.tensor1d(steps.sizes))) as tf.Scalar,
      // stack + sum, not addN: webgpu's addN binds every input at once, past its 8-buffer limit.
      metric: tf.sum(tf.stack(steps.metrics)) as tf.Scalar,
    });
  tf.dispose([...steps.costs, ...steps.metrics]);
  return sums;
}

/** One step's rows, gathered from the training part. */
interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
  size: number;
}

/**
 * Batches gathered this many at a time: one index upload, two gathers and two splits per chunk
 * instead of an upload and two gathers every step, without a second copy of a large training set.
 */
const batchesPerGather = 64;

/**
 * The batches of `order` (row indices) in order, the same rows as gathering each batch alone.
 * A chunk's batches are disposed once the caller moves past the chunk or stops early.
 */
function* shuffledBatches(b: Built, order: Int32Array): Generator<Batch> {
  const { batchSize } = b.params;
  for (let start = 0; start < order.length; start += batchSize * batchesPerGather) {
    const rows = order.subarray(start, Math.min(order.length, start + batchSize * batchesPerGather));
    const sizes = Array.from({ length: Math.ceil(rows.length / batchSize) }, (_, i) => Math.min(batchSize, rows.length - i * batchSize));
    const [xs, ys] = tf.tidy(() => {
      const indices = tf.tensor1d(rows, 'int32');
      return [tf.split(tf.gather(b.trainX, indices), sizes), tf.split(tf.gather(b.trainY, indices), sizes)];
    });
    try {
      for (const [i, size] of sizes.entries()) yield { x: xs[i]!, y: ys[i]!, size };
    } finally {
      tf.dispose([...xs, ...ys]);
    }
  }
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Labels as the loss takes them: int32 class indices, or [rows, 1] floats for regression. */
export function labels(task: DatasetSplit['task'], values: Float32Array, rows: number): tf.Tensor {
  return task === 'classification'
    ? tf.tensor1d(Int32Array.from(values), 'int32')
    : tf.tensor2d(values, [rows, 1]);
}

function addSums(sums: Sums, loss: tf.Scalar, metric: tf.Scalar): Sums {
  const next = tf.tidy(() => ({
    loss: tf.add<tf.Scalar>(sums.loss, loss),
    metric: tf.add<tf.Scalar>(sums.metric, metric),
  }));
  tf.dispose([sums.loss, sums.metric]);
  return next;
}

/**
 * The tfjs Trainer: an own loop rather than model.fit, so each step is gather -> minimize ->
 * add to sums with no host sync, and stop, shuffle and dropout seeds are ours to control.
 */
export class TfjsTrainer implements Trainer {
  private built: Built | null = null;
  /** The weights kept by keepCheckpoint(), owned here until dispose(). */
  private checkpoint: tf.Tensor[] | null = null;
  private isStopRequested = false;
  /** trainStep's pass through the shuffled rows. */
  private stepOrder: Int32Array | null = null;
  private stepAt = 0;
  /** Kept across epochs: an epoch of a small model takes a few ms, so a per-epoch clock would
   * never yield and 'stop' messages and heartbeats would wait for the whole trial. */
  private lastYield = performance.now();
  private readonly yieldEveryMs: number;
  private readonly evalBatchSize: number;
  private readonly useFused: boolean;

  constructor(options: TfjsTrainerOptions = {}) {
    this.yieldEveryMs = options.yieldEveryMs ?? 25;
    this.evalBatchSize = options.evalBatchSize ?? 1024;
    this.useFused = options.fusedKernels ?? true;
  }

  build(params: TrialParams, spec: ModelSpec, split: DatasetSplit, seed: number, epochs: number): void {
    if (this.built) throw new Error('TfjsTrainer.build called twice');
    if (split.trainRows < 1) throw new TunebenchError('DATASET_MISMATCH', 'the training split is empty');
    if (!(params.batchSize >= 1)) throw new TunebenchError('ARGUMENT_INVALID', 'batchSize must be at least 1');
    const trained = trialModel(spec, params);
    const model = buildModel(trained, split, seed);
    const f = split.featureCount;
    const fused = this.useFused ? fusedUpdater(params.optimizer) : null;
    this.isStopRequested = false;
    this.built = {
      params,
      epochs,
      model,
      l2: trained.l2,
      variables: model.trainableWeights.map((w) => w.read() as tf.Variable),
      optimizer: createOptimizer(params),
      fused,
      dense: fused ? hasDenseGradients(model, split.task) : null,
      task: taskLoss(split.task, split.classCount, this.useFused),
      taskName: split.task,
      hasDropout: model.layers.some((l) => l.getClassName() === 'Dropout'),
      trainX: tf.tensor2d(split.trainX, [split.trainRows, f]),
      trainY: labels(split.task, split.trainY, split.trainRows),
      valX: tf.tensor2d(split.valX, [split.valRows, f]),
      valY: labels(split.task, split.valY, split.valRows),
      trainRows: split.trainRows,
      valRows: split.valRows,
      test: split.testX && split.testY && split.testRows
        ? { x: tf.tensor2d(split.testX, [split.testRows, f]), y: labels(split.task, split.testY, split.testRows), rows: split.testRows }
        : null,
      targetStd: split.targetStd,
      shuffleRng: xoroshiro128plus(seed),
      dropoutRng: xoroshiro128plus(seed ^ 0x5bd1e995),
    };
  }

  async runEpoch(epoch: number): Promise<EpochResult> {
    const b = this.need();
    const started = performance.now();
    const lr = lrAt(b.params, epoch, b.epochs);
    b.optimizer.setLearningRate(lr);
    const order = this.shuffledRows(b);
    const steps: StepOutputs = { costs: [], metrics: [], sizes: [] };
    let batches = 0;
    let rows = 0;
    for (const batch of shuffledBatches(b, order)) {
      if (this.isStopRequested) break;
      this.trainBatch(b, batch, steps);
      batches += 1;
      rows += batch.size;
      if (performance.now() - this.lastYield >= this.yieldEveryMs) {
        await yieldToEventLoop();
        this.lastYield = performance.now();
      }
    }
    const sums = epochSums(steps);
    const isStopped = this.isStopRequested;
    const val = isStopped || b.valRows === 0 ? null : this.evaluate(b, { x: b.valX, y: b.valY, rows: b.valRows });
    const test = val && b.test ? this.evaluate(b, b.test) : null;
    const parts = [sums.loss, sums.metric, ...(val ? [val.loss, val.metric] : []), ...(test ? [test.loss, test.metric] : [])];
    const stacked = tf.stack(parts);
    const read = await stacked.data();
    tf.dispose([stacked, ...parts]);
    const [metricName, valMetricName] = b.task.metricNames;
    const perRow = (i: number, n: number) => (read[i] ?? NaN) / Math.max(n, 1);
    const metrics: Record<string, number> = { loss: perRow(0, rows), [metricName]: perRow(1, rows) };
    if (val) {
      metrics.val_loss = perRow(2, b.valRows);
      metrics[valMetricName] = perRow(3, b.valRows);
    }
    const testMetricName = `test_${metricName}`;
    if (test && b.test) {
      metrics.test_loss = perRow(4, b.test.rows);
      metrics[testMetricName] = perRow(5, b.test.rows);
    }
    if (b.targetStd !== undefined) {
      // MAE in the target's own units (grams, not z-scores), as a person reads it.
      for (const name of [metricName, valMetricName, testMetricName]) {
        if (name in metrics) metrics[name] = (metrics[name] as number) * b.targetStd;
      }
    }
    metrics.lr = lr;
    metrics.epoch_ms = performance.now() - started;
    const isDiverged = !Number.isFinite(metrics.loss) || (val !== null && !Number.isFinite(metrics.val_loss));
    return { metrics, batches, isStopped, isDiverged };
  }

  requestStop(): void {
    this.isStopRequested = true;
  }

  /**
   * One optimizer step at `lr` on the next batch of a running shuffled pass (a new pass starts
   * when one is used up); returns that batch's mean training loss. The LR range test's step.
   */
  async trainStep(lr: number): Promise<number> {
    const b = this.need();
    if (!this.stepOrder || this.stepAt >= b.trainRows) {
      this.stepOrder = this.shuffledRows(b);
      this.stepAt = 0;
    }
    const rows = this.stepOrder.subarray(this.stepAt, Math.min(b.trainRows, this.stepAt + b.params.batchSize));
    this.stepAt += rows.length;
    b.optimizer.setLearningRate(lr);
    const steps: StepOutputs = { costs: [], metrics: [], sizes: [] };
    for (const batch of shuffledBatches(b, rows)) this.trainBatch(b, batch, steps);
    const [loss] = (await steps.costs[0]?.data()) ?? [];
    tf.dispose([...steps.costs, ...steps.metrics]);
    return loss ?? NaN; // a step's cost is its batch's mean loss
  }

  keepCheckpoint(): void {
    const { model } = this.need();
    const copy = tf.tidy(() => model.getWeights().map((weight) => tf.clone(weight)));
    if (this.checkpoint) tf.dispose(this.checkpoint);
    this.checkpoint = copy;
  }

  async saveModel(dir: string): Promise<void> {
    const { model } = this.need();
    if (this.checkpoint) model.setWeights(this.checkpoint);
    await saveModelTo(model, dir);
  }

  dispose(): void {
    if (this.checkpoint) tf.dispose(this.checkpoint);
    this.checkpoint = null;
    const b = this.built;
    if (!b) return;
    this.built = null;
    b.model.dispose();
    b.optimizer.dispose();
    tf.dispose([b.trainX, b.trainY, b.valX, b.valY, ...(b.test ? [b.test.x, b.test.y] : [])]);
  }

  /** The model being trained (for tests and exports); valid until dispose(). */
  get model(): tf.Sequential {
    return this.need().model;
  }

  private need(): Built {
    if (!this.built) throw new Error('TfjsTrainer used before build() or after dispose()');
    return this.built;
  }

  /** A Fisher-Yates permutation of the training rows from the trial's own generator. */
  private shuffledRows(b: Built): Int32Array {
    return shuffledRows(b.trainRows, b.shuffleRng);
  }

  /** One optimizer step; its mean cost and metric sum are added to `steps`. */
  private trainBatch(b: Built, { x, y, size }: Batch, steps: StepOutputs): void {
    const dropoutSeed = b.hasDropout ? b.dropoutRng.unsafeNext() >>> 0 : null;
    const kept: { metric?: tf.Scalar } = {};
    const [loss, metric] = tf.tidy(() => {
      const cost = (out: tf.Tensor): tf.Scalar => {
        const loss = b.task.loss(out, y);
        const penalty = l2Penalty(b.model, b.l2);
        return penalty ? (tf.add(loss, penalty) as tf.Scalar) : loss;
      };
      if (b.fused && b.dense) {
        const { output, grads } = denseGradients(b.dense, b.variables, b.taskName, x, y, b.l2, dropoutSeed);
        // Read before the update: the penalty is of the weights the gradients were taken at.
        const outputs: [tf.Scalar, tf.Scalar] = [cost(output), b.task.metricSum(output, y)];
        b.fused.apply(b.variables, grads, b.optimizer.learningRate());
        return outputs;
      }
      const objective = () => {
        const out = forwardLogits(b.model, x, dropoutSeed);
        // Kept: the tape's scope would dispose it, and it comes from this very forward pass.
        kept.metric = tf.keep(b.task.metricSum(out, y));
        return cost(out);
      };
      const value = b.fused ? this.fusedStep(b, b.fused, objective) : b.optimizer.optimizer.minimize(objective, true, b.variables);
      if (!value || !kept.metric) throw new Error('minimize returned no cost');
      return [value, kept.metric];
    });
    steps.costs.push(loss);
    steps.metrics.push(metric);
    steps.sizes.push(size);
  }

  /** minimize() with the fused update: gradients, then one kernel per variable. */
  private fusedStep(b: Built, fused: FusedUpdater, objective: () => tf.Scalar): tf.Scalar {
    const { value, grads } = tf.variableGrads(objective, b.variables);
    fused.apply(b.variables, b.variables.map((v) => grads[v.name] as tf.Tensor), b.optimizer.learningRate());
    return value;
  }

  /** Loss and metric sums over a held-out part (validation or test), in chunks of evalBatchSize rows. */
  private evaluate(b: Built, part: HeldOut): Sums {
    let sums: Sums = { loss: tf.scalar(0), metric: tf.scalar(0) };
    for (let start = 0; start < part.rows; start += this.evalBatchSize) {
      const size = Math.min(this.evalBatchSize, part.rows - start);
      const [loss, metric] = tf.tidy(() => {
        const x = tf.slice(part.x, [start, 0], [size, -1]);
        const y = tf.slice(part.y, start, size);
        const out = forwardLogits(b.model, x, null);
        return [tf.mul(b.task.loss(out, y), size) as tf.Scalar, b.task.metricSum(out, y)];
      });
      sums = addSums(sums, loss, metric);
      tf.dispose([loss, metric]);
    }
    return sums;
  }
}
