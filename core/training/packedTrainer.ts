import * as tf from './tf.js';
import { xoroshiro128plus, type RandomGenerator } from 'pure-rand';
import type { ModelSpec, TrialParams } from '../api/spec.js';
import { TunebenchError } from '../api/errors.js';
import type { DatasetSplit } from '../data/dataset.js';
import { trialModel } from '../space/modelParams.js';
import { saveModelTo } from './modelFiles.js';
import { buildModel } from './models.js';
import { shuffledRows } from './shuffle.js';
import { labels } from './tfjsTrainer.js';
import { packKey } from './packing.js';
import { PackedUpdater } from './packedUpdates.js';
import { memberLossAndMetric } from './packedLoss.js';
import { hasPackedGradients, packedForward, packedGradients, type PackedLayers } from './packedGradients.js';
import { fusedBackends } from './fusedUpdates.js';
import { lrAt } from './schedules.js';
import type { EpochResult } from './trainer.js';

/** One trial of a pack. */
export interface PackMember {
  params: TrialParams;
  seed: number;
}

interface MemberState {
  params: TrialParams;
  seed: number;
  model: ModelSpec;
  l2: number;
  shuffleRng: RandomGenerator;
  dropoutRng: RandomGenerator;
  isStopRequested: boolean;
  /** The member's weights as keepCheckpoint() left them, per variable (its own slice). */
  checkpoint: tf.Tensor[] | null;
}

interface Part {
  x: tf.Tensor2D;
  y: tf.Tensor;
  rows: number;
}

/** A variable holding `value`, which is then let go (tf.variable keeps its own reference). */
function variableOf(value: tf.Tensor): tf.Variable {
  const variable = tf.variable(value);
  value.dispose();
  return variable;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * K trials that share a pack key (packing.ts) trained as one model: each Dense kernel is a
 * [K, in, out] variable and each bias [K, 1, out], the forward pass one batched matMul per layer,
 * the update one kernel per variable with each member's own rate (packedUpdates.ts).
 *
 * Each member is exactly the trial the plain TfjsTrainer would train: its weights start from
 * buildModel with its own seed, its rows are shuffled by its own generator (the batches of the K
 * members are gathered together as [K, batch, in]), its dropout masks come from its own seeds,
 * its rate follows its own schedule. Losses and metrics are per member ([K] vectors); the
 * training objective is their sum, whose gradient for member k is member k's own, so a member
 * that diverges never touches another. A member stopped (requestStop) or dropped (drop) leaves
 * the pack at the next batch: the variables shrink to the members left.
 */
export class PackedTrainer {
  private members: MemberState[] = [];
  /** Member indices (into the build order) still in the pack, in variable order. */
  private alive: number[] = [];
  private kernels: tf.Variable[] = [];
  private biases: tf.Variable[] = [];
  private activationName = 'linear';
  private dropout = 0;
  private updater: PackedUpdater | null = null;
  private data: { train: Part; val: Part; test: Part | null; split: DatasetSplit } | null = null;
  private batchSize = 0;
  private epochs = 0;
  private lastYield = performance.now();

  constructor(private readonly options: { yieldEveryMs?: number; evalBatchSize?: number } = {}) {}

  build(members: readonly PackMember[], spec: ModelSpec, split: DatasetSplit, epochs: number): void {
    if (this.data) throw new Error('PackedTrainer.build called twice');
    if (split.trainRows < 1) throw new TunebenchError('DATASET_MISMATCH', 'the training split is empty');
    const first = members[0];
    if (!first) throw new Error('a pack needs at least one member');
    const key = packKey(spec, first.params);
    if (key === null || members.some((member) => packKey(spec, member.params) !== key)) throw new Error('these trials cannot share a pack');
    const weights: tf.Tensor[][] = [];
    for (const member of members) {
      const model = trialModel(spec, member.params);
      const built = buildModel(model, split, member.seed);
      weights.push(built.getWeights().map((weight) => tf.clone(weight)));
      built.dispose();
      this.members.push({
        ...member, model, l2: model.l2 ?? 0, isStopRequested: false, checkpoint: null,
        shuffleRng: xoroshiro128plus(member.seed),
        dropoutRng: xoroshiro128plus(member.seed ^ 0x5bd1e995),
      });
    }
    const shaped = this.members[0]!.model;
    const hidden = shaped.type === 'mlp' ? shaped.hidden.length : 0;
    this.activationName = shaped.activation;
    this.dropout = hidden > 0 ? shaped.dropout : 0;
    // Dense layers come as kernel, bias pairs in buildModel's order.
    for (let layer = 0; layer < weights[0]!.length / 2; layer++) {
      this.kernels.push(variableOf(tf.stack(weights.map((w) => w[2 * layer]!))));
      this.biases.push(variableOf(tf.tidy(() => tf.expandDims(tf.stack(weights.map((w) => w[2 * layer + 1]!)), 1))));
    }
    tf.dispose(weights.flat());
    this.alive = members.map((_, index) => index);
    this.updater = new PackedUpdater(members.map((member) => member.params));
    this.batchSize = first.params.batchSize;
    this.epochs = epochs;
    const f = split.featureCount;
    this.data = {
      split,
      train: { x: tf.tensor2d(split.trainX, [split.trainRows, f]), y: labels(split.task, split.trainY, split.trainRows), rows: split.trainRows },
      val: { x: tf.tensor2d(split.valX, [split.valRows, f]), y: labels(split.task, split.valY, split.valRows), rows: split.valRows },
      test: split.testX && split.testY && split.testRows
        ? { x: tf.tensor2d(split.testX, [split.testRows, f]), y: labels(split.task, split.testY, split.testRows), rows: split.testRows }
        : null,
    };
  }

  /** Members still training, by their index in build's order. */
  get activeMembers(): readonly number[] {
    return this.alive;
  }

  /** One epoch of every member still in the pack; the result of each, by member index. */
  async runEpoch(epoch: number): Promise<Map<number, EpochResult>> {
    const data = this.need();
    const started = performance.now();
    const orders = new Map(this.alive.map((member) => [member, this.shuffledRows(this.members[member]!)]));
    const rates = () => this.alive.map((member) => lrAt(this.members[member]!.params, epoch, this.epochs));
    const steps: { costs: tf.Tensor[]; metrics: tf.Tensor[]; sizes: number[] } = { costs: [], metrics: [], sizes: [] };
    const stopped: number[] = [];
    const batches = new Map<number, number>();
    const sums = new Map<number, { loss: number; metric: number }>();
    const settleSteps = async (members: readonly number[]) => {
      // Per member: each step's cost is its batch mean, weighted by its rows; summed over the epoch.
      if (steps.costs.length === 0) return;
      const total = tf.tidy(() => tf.stack([
        tf.sum(tf.mul(tf.stack(steps.costs), tf.tensor2d(steps.sizes, [steps.sizes.length, 1])), 0),
        tf.sum(tf.stack(steps.metrics), 0),
      ]));
      const read = await total.data();
      tf.dispose([total, ...steps.costs, ...steps.metrics]);
      members.forEach((member, position) => {
        const before = sums.get(member) ?? { loss: 0, metric: 0 };
        sums.set(member, { loss: before.loss + (read[position] as number), metric: before.metric + (read[members.length + position] as number) });
      });
      steps.costs = [];
      steps.metrics = [];
      steps.sizes = [];
    };
    let rows = 0;
    for (let start = 0; start < data.train.rows && this.alive.length > 0; start += this.batchSize) {
      const leaving = this.alive.filter((member) => this.members[member]!.isStopRequested);
      if (leaving.length > 0) {
        await settleSteps(this.alive);
        stopped.push(...leaving);
        this.keep(this.alive.filter((member) => !leaving.includes(member)));
        if (this.alive.length === 0) break;
      }
      const end = Math.min(data.train.rows, start + this.batchSize);
      this.trainBatch(this.alive.map((member) => orders.get(member)!.subarray(start, end)), rates(), steps);
      for (const member of this.alive) batches.set(member, (batches.get(member) ?? 0) + 1);
      rows = end;
      if (performance.now() - this.lastYield >= (this.options.yieldEveryMs ?? 25)) {
        await yieldToEventLoop();
        this.lastYield = performance.now();
      }
    }
    await settleSteps(this.alive);
    const results = new Map<number, EpochResult>();
    for (const member of stopped) results.set(member, { metrics: {}, batches: batches.get(member) ?? 0, isStopped: true, isDiverged: false });
    const late = this.alive.filter((member) => this.members[member]!.isStopRequested);
    const reading = this.alive.filter((member) => !late.includes(member));
    const val = reading.length > 0 && data.val.rows > 0 ? await this.evaluate(data.val) : null;
    const test = val && data.test ? await this.evaluate(data.test) : null;
    const [metricName, valMetricName] = data.split.task === 'classification' ? ['accuracy', 'val_accuracy'] : ['mae', 'val_mae'];
    const scale = data.split.targetStd ?? 1;
    const lrs = rates();
    this.alive.forEach((member, position) => {
      if (late.includes(member)) {
        results.set(member, { metrics: {}, batches: batches.get(member) ?? 0, isStopped: true, isDiverged: false });
        return;
      }
      const sum = sums.get(member) ?? { loss: NaN, metric: NaN };
      const metrics: Record<string, number> = { loss: sum.loss / Math.max(rows, 1), [metricName]: (sum.metric / Math.max(rows, 1)) * scale };
      if (val) {
        metrics.val_loss = (val.loss[position] as number) / data.val.rows;
        metrics[valMetricName] = ((val.metric[position] as number) / data.val.rows) * scale;
      }
      if (test && data.test) {
        metrics.test_loss = (test.loss[position] as number) / data.test.rows;
        metrics[`test_${metricName}`] = ((test.metric[position] as number) / data.test.rows) * scale;
      }
      metrics.lr = lrs[position] as number;
      metrics.epoch_ms = performance.now() - started;
      const isDiverged = !Number.isFinite(metrics.loss) || (val !== null && !Number.isFinite(metrics.val_loss));
      results.set(member, { metrics, batches: batches.get(member) ?? 0, isStopped: false, isDiverged });
    });
    if (late.length > 0) this.keep(this.alive.filter((member) => !late.includes(member)));
    return results;
  }

  /** Stops one member after the batch in flight; its epoch ends isStopped and it leaves the pack. */
  requestStop(member: number): void {
    const state = this.members[member];
    if (state) state.isStopRequested = true;
  }

  /** Takes a member out of the pack between epochs (diverged, pruned, done with). */
  drop(member: number): void {
    if (this.alive.includes(member)) this.keep(this.alive.filter((other) => other !== member));
  }

  keepCheckpoint(member: number): void {
    const copy = this.weightsOf(member);
    const state = this.members[member]!;
    if (state.checkpoint) tf.dispose(state.checkpoint);
    state.checkpoint = copy;
  }

  /** Saves one member as the plain trainer would (its kept checkpoint, else its current weights). */
  async saveModel(member: number, dir: string): Promise<void> {
    const state = this.members[member]!;
    const model = buildModel(state.model, this.need().split, state.seed);
    try {
      const weights = state.checkpoint ?? this.weightsOf(member);
      model.setWeights(weights);
      if (!state.checkpoint) tf.dispose(weights);
      await saveModelTo(model, dir);
    } finally {
      model.dispose();
    }
  }

  dispose(): void {
    const data = this.data;
    this.data = null;
    for (const state of this.members) if (state.checkpoint) tf.dispose(state.checkpoint);
    tf.dispose([...this.kernels, ...this.biases]);
    this.kernels = [];
    this.biases = [];
    if (data) tf.dispose([data.train.x, data.train.y, data.val.x, data.val.y, ...(data.test ? [data.test.x, data.test.y] : [])]);
  }

  private need(): NonNullable<PackedTrainer['data']> {
    if (!this.data) throw new Error('PackedTrainer used before build() or after dispose()');
    return this.data;
  }

  /** A member's weights as the plain model lays them out: kernel [in, out], bias [out] per layer. */
  private weightsOf(member: number): tf.Tensor[] {
    const position = this.alive.indexOf(member);
    if (position < 0) throw new Error(`member ${member} has left the pack`);
    return tf.tidy(() => this.kernels.flatMap((kernel, layer) => [
      tf.gather(kernel, position),
      tf.reshape(tf.gather(this.biases[layer]!, position), [-1]),
    ]));
  }

  /** Shrinks the variables (and the update's moments) to the members given. */
  private keep(members: number[]): void {
    const positions = members.map((member) => this.alive.indexOf(member));
    const replaced = new Map<tf.Variable, tf.Variable>();
    const shrink = (variables: tf.Variable[]) => variables.map((old) => {
      const next = variableOf(tf.tidy(() => tf.gather(old, tf.tensor1d(positions, 'int32'))));
      replaced.set(old, next);
      return next;
    });
    const [kernels, biases] = positions.length > 0 ? [shrink(this.kernels), shrink(this.biases)] : [[], []];
    this.updater?.keep(positions, replaced);
    tf.dispose([...this.kernels, ...this.biases]);
    this.kernels = kernels;
    this.biases = biases;
    this.alive = members;
  }

  private shuffledRows(state: MemberState): Int32Array {
    return shuffledRows(this.need().train.rows, state.shuffleRng);
  }

  private layers(): PackedLayers {
    return { kernels: this.kernels, biases: this.biases, activationName: this.activationName, dropout: this.dropout };
  }

  /** [K, rows, out] from [K, rows, in]; dropout masks per member when seeds are given. */
  private forward(x: tf.Tensor, dropoutSeeds: number[] | null): tf.Tensor {
    return packedForward(this.layers(), x, dropoutSeeds);
  }

  private lossAndMetric(out: tf.Tensor, y: tf.Tensor): { loss: tf.Tensor1D; metric: tf.Tensor1D } {
    const { task, classCount } = this.need().split;
    return memberLossAndMetric(task, classCount, out, y);
  }

  private penalty(): tf.Tensor1D | null {
    const l2 = this.alive.map((member) => this.members[member]!.l2);
    if (l2.every((value) => value === 0)) return null;
    return tf.mul(tf.tensor1d(l2), tf.addN(this.kernels.map((kernel) => tf.sum(tf.square(kernel), [1, 2])))) as tf.Tensor1D;
  }

  private trainBatch(rows: Int32Array[], rates: number[], steps: { costs: tf.Tensor[]; metrics: tf.Tensor[]; sizes: number[] }): void {
    const data = this.need();
    const size = rows[0]?.length ?? 0;
    const seeds = this.dropout > 0 ? this.alive.map((member) => this.members[member]!.dropoutRng.unsafeNext() >>> 0) : null;
    const kept: { loss?: tf.Tensor; metric?: tf.Tensor } = {};
    tf.tidy(() => {
      const indices = new Int32Array(rows.length * size);
      rows.forEach((memberRows, position) => indices.set(memberRows, position * size));
      const flat = tf.tensor1d(indices, 'int32');
      const x = tf.reshape(tf.gather(data.train.x, flat), [rows.length, size, data.split.featureCount]);
      const y = data.split.task === 'classification'
        ? tf.reshape(tf.gather(data.train.y, flat), [rows.length, size])
        : tf.reshape(tf.gather(data.train.y, flat), [rows.length, size, 1]);
      const variables = [...this.kernels, ...this.biases];
      // Each member's loss plus its L2 penalty, [K], kept with the metric for the epoch's sums.
      const keepCost = (output: tf.Tensor): tf.Tensor => {
        const { loss, metric } = this.lossAndMetric(output, y);
        const penalty = this.penalty();
        const cost = penalty ? tf.add(loss, penalty) : loss;
        kept.loss = tf.keep(cost);
        kept.metric = tf.keep(metric);
        return cost;
      };
      if (this.hasHandGradients()) {
        const l2 = this.alive.map((member) => this.members[member]!.l2);
        const { output, grads } = packedGradients(this.layers(), data.split.task, x, y, l2, seeds);
        keepCost(output); // before the update: the penalty is of the weights the gradients were taken at
        this.updater!.apply(variables, grads, rates);
        return;
      }
      // The sum's gradient for member k is member k's own loss gradient: nothing is shared.
      const { grads } = tf.variableGrads(() => tf.sum(keepCost(this.forward(x, seeds))) as tf.Scalar, variables);
      this.updater!.apply(variables, variables.map((v) => grads[v.name] as tf.Tensor), rates);
    });
    steps.costs.push(kept.loss!);
    steps.metrics.push(kept.metric!);
    steps.sizes.push(size);
  }

  /** Gradients by hand (packedGradients.ts) where there is a rule for the activation and the loss. */
  private hasHandGradients(): boolean {
    const isFusedLoss = (fusedBackends as readonly string[]).includes(tf.getBackend());
    return hasPackedGradients(this.activationName) && (this.need().split.task === 'regression' || isFusedLoss);
  }

  /** Per member [K] sums of loss and metric over a held-out part, in chunks. */
  private async evaluate(part: Part): Promise<{ loss: Float32Array; metric: Float32Array }> {
    const count = this.alive.length;
    const chunk = this.options.evalBatchSize ?? 1024;
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < part.rows; start += chunk) {
      const size = Math.min(chunk, part.rows - start);
      parts.push(tf.tidy(() => {
        const x = tf.broadcastTo(tf.slice(part.x, [start, 0], [size, -1]), [count, size, part.x.shape[1]]);
        const sliced = tf.slice(part.y, start, size);
        const y = tf.broadcastTo(sliced, [count, ...sliced.shape]);
        const { loss, metric } = this.lossAndMetric(this.forward(x, null), y);
        return tf.stack([tf.mul(loss, size), metric]);
      }));
    }
    const total = tf.tidy(() => tf.addN(parts));
    const read = await total.data();
    tf.dispose([total, ...parts]);
    return { loss: read.slice(0, count) as Float32Array, metric: read.slice(count) as Float32Array };
  }
}
