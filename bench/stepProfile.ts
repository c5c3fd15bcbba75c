// Per-step breakdown of the trainer on the cpu grid's data (run in its own process by
// cpuBench.ts): the trainer's own epoch_ms per step (its second epoch), then each phase timed
// alone with the same pieces (data gathering; forward and backward by tfjs's tape, and both by
// hand as the trainer now does them; the optimizer update, tfjs's and the fused one the trainer
// uses) and its kernel count. The phases add up to the trainer's step but for sums and the
// yield; on a loaded machine both columns drift together.
import * as tf from '../core/training/tf.js';
import { dirname } from 'node:path';
import { validateSpec } from '../core/space/parseSpec.js';
import { loadDataset } from '../core/data/index.js';
import { chooseBackend } from '../core/training/backend.js';
import { taskLoss } from '../core/training/losses.js';
import { buildModel, forwardLogits } from '../core/training/models.js';
import { fusedUpdater } from '../core/training/fusedUpdates.js';
import { denseGradients, hasDenseGradients } from '../core/training/denseGradients.js';
import { createOptimizer } from '../core/training/optimizers.js';
import { SplitCache } from '../core/training/splitCache.js';
import { TfjsTrainer } from '../core/training/tfjsTrainer.js';
import { gridSpec } from './cpuBench.js';
import type { TrialParams } from '../core/api/spec.js';

const csv = process.argv[2]!;
const spec = validateSpec(JSON.parse(gridSpec(csv)));
const choice = await chooseBackend();
const dataset = await loadDataset(spec.dataset, dirname(csv));
const split = await new SplitCache().get({
  trialId: 1, number: 0, params: {} as TrialParams, seed: 1, dataset: spec.dataset, baseDir: dirname(csv),
  datasetFingerprint: dataset.info.fingerprint, model: spec.model, epochs: 3, validationSplit: spec.validationSplit, splitSeed: spec.seed,
});
const lines: string[] = [`step profile (${choice.backend}, ${split.trainRows} training rows, MLP ${split.featureCount}-128-${split.classCount}), us per step:`];
const us = (ms: number, steps: number) => ((ms * 1000) / steps).toFixed(0).padStart(5);

/** Mean microseconds of `run` over `steps` calls (tensors made are disposed), and its kernel count. */
async function phase(run: () => tf.TensorContainer, steps: number): Promise<{ ms: number; ops: number }> {
  const profile = await tf.profile(() => { tf.dispose(run()); });
  const started = performance.now();
  for (let i = 0; i < steps; i += 1) tf.dispose(run());
  // wasm and cpu run kernels as they are called; one read makes sure of it.
  tf.tidy(() => tf.zeros([1])).dataSync();
  return { ms: performance.now() - started, ops: profile.kernels.length };
}

for (const optimizer of ['sgd', 'adam'] as const) {
  for (const batchSize of [16, 32]) {
    const params = { optimizer, learningRate: 0.01, batchSize } as TrialParams;
    const trainer = new TfjsTrainer();
    trainer.build(params, spec.model, split, 5, 3);
    await trainer.runEpoch(0); // V8 is still optimising the loop in the first epoch
    const epoch = await trainer.runEpoch(1);
    trainer.dispose();
    const trainerStep = (epoch.metrics.epoch_ms ?? 0) / epoch.batches;

    const model = buildModel(spec.model, split, 5);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const task = taskLoss(split.task, split.classCount, true); // as the trainer: the fused loss on wasm and cpu
    const opt = createOptimizer(params);
    const trainX = tf.tensor2d(split.trainX, [split.trainRows, split.featureCount]);
    const trainY = tf.tensor1d(Int32Array.from(split.trainY), 'int32');
    const rows = Int32Array.from({ length: batchSize }, (_, i) => (i * 97) % split.trainRows);
    const x = tf.gather(trainX, tf.tensor1d(rows, 'int32'));
    const y = tf.gather(trainY, tf.tensor1d(rows, 'int32'));
    const steps = 400;
    const data = await phase(() => { const i = tf.tensor1d(rows, 'int32'); const out = [tf.gather(trainX, i), tf.gather(trainY, i)]; i.dispose(); return out; }, steps);
    const forward = await phase(() => tf.tidy(() => task.loss(forwardLogits(model, x, null), y)), steps);
    const grads = () => tf.variableGrads(() => task.loss(forwardLogits(model, x, null), y), variables);
    const both = await phase(() => { const g = grads(); return [g.value, ...Object.values(g.grads)]; }, steps);
    const g = grads();
    const update = await phase(() => { opt.optimizer.applyGradients(g.grads); return []; }, steps);
    const plan = hasDenseGradients(model, split.task)!;
    const byHand = await phase(() => tf.tidy(() => { const d = denseGradients(plan, variables, split.task, x, y, undefined); return [task.loss(d.output, y), ...d.grads]; }), steps);
    const fused = fusedUpdater(optimizer);
    const gradList = variables.map((v) => g.grads[v.name]!);
    const fusedUpdate = fused ? await phase(() => { fused.apply(variables, gradList, 0.01); return []; }, steps) : update;
    const sum = data.ms + byHand.ms + fusedUpdate.ms;
    lines.push(`  ${optimizer.padEnd(4)} batch ${String(batchSize).padStart(2)}: trainer ${us(trainerStep, 1)} | data ${us(data.ms, steps)} (${data.ops} ops) forward ${us(forward.ms, steps)} (${forward.ops}) backward ${us(both.ms - forward.ms, steps)} (${both.ops - forward.ops}) | forward+backward: tape ${us(both.ms, steps)} (${both.ops}), by hand ${us(byHand.ms, steps)} (${byHand.ops}) | update: tfjs ${us(update.ms, steps)} (${update.ops}), fused ${us(fusedUpdate.ms, steps)} (${fusedUpdate.ops}) | phases ${us(sum, steps)}`);
    tf.dispose([trainX, trainY, x, y, g.value, ...Object.values(g.grads)]);
    opt.dispose();
    model.dispose();
  }
}
process.stdout.write(lines.join('\n') + '\n');
