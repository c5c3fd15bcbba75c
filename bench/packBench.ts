// Trial packing on the cpu grid's data (run in its own process by cpuBench.ts): the 8 trials
// trained one by one by the plain trainer, then as packs of the trials sharing a pack key (here
// two packs of 4: sgd/adam x lr 0.01/0.1 at batch 16, and at batch 32), epoch by epoch side by side.
// Prints JSON: milliseconds per trial-epoch (training + validation, the trainer's epoch_ms) each way.
import { dirname } from 'node:path';
import { validateSpec } from '../core/space/parseSpec.js';
import { loadDataset } from '../core/data/index.js';
import { chooseBackend } from '../core/training/backend.js';
import { PackedTrainer } from '../core/training/packedTrainer.js';
import { packKey } from '../core/training/packing.js';
import { SplitCache } from '../core/training/splitCache.js';
import { TfjsTrainer } from '../core/training/tfjsTrainer.js';
import { gridSpec } from './cpuBench.js';
import type { TrialParams } from '../core/api/spec.js';

const csv = process.argv[2]!;
const rounds = Number(process.argv[3] ?? 2);
const spec = validateSpec(JSON.parse(gridSpec(csv)));
const choice = await chooseBackend();
const dataset = await loadDataset(spec.dataset, dirname(csv));
const split = await new SplitCache().get({
  trialId: 1, number: 0, params: {} as TrialParams, seed: 1, dataset: spec.dataset, baseDir: dirname(csv),
  datasetFingerprint: dataset.info.fingerprint, model: spec.model, epochs: spec.epochs, validationSplit: spec.validationSplit, splitSeed: spec.seed,
});
const grid: TrialParams[] = [];
for (const optimizer of ['sgd', 'adam'] as const) {
  for (const learningRate of [0.01, 0.1]) for (const batchSize of [16, 32]) grid.push({ optimizer, learningRate, batchSize, lrSchedule: 'constant' });
}
const trialEpochs = grid.length * spec.epochs;

/**
 * One round, side by side at the finest grain: for each pack, each epoch runs every member alone
 * (the plain trainer), then the pack once; load on the machine hits both alike.
 */
async function round(): Promise<{ unpackedMs: number; packedMs: number; packs: number[] }> {
  const groups = new Map<string, { params: TrialParams; seed: number }[]>();
  grid.forEach((params, i) => {
    const key = packKey(spec.model, params) ?? `alone-${i}`;
    groups.set(key, [...(groups.get(key) ?? []), { params, seed: 100 + i }]);
  });
  let unpackedMs = 0;
  let packedMs = 0;
  for (const members of groups.values()) {
    const alone = members.map((member) => {
      const trainer = new TfjsTrainer();
      trainer.build(member.params, spec.model, split, member.seed, spec.epochs);
      return trainer;
    });
    const pack = new PackedTrainer();
    pack.build(members, spec.model, split, spec.epochs);
    for (let epoch = 0; epoch < spec.epochs; epoch++) {
      for (const trainer of alone) unpackedMs += (await trainer.runEpoch(epoch)).metrics.epoch_ms ?? 0;
      // One pack epoch trains every member's epoch once: its wall time counts once.
      const results = await pack.runEpoch(epoch);
      packedMs += Math.max(...[...results.values()].map((result) => result.metrics.epoch_ms ?? 0));
    }
    for (const trainer of alone) trainer.dispose();
    pack.dispose();
  }
  return { unpackedMs: unpackedMs / trialEpochs, packedMs: packedMs / trialEpochs, packs: [...groups.values()].map((members) => members.length) };
}

const plain: number[] = [];
const pack: number[] = [];
let packs: number[] = [];
for (let index = 0; index < rounds; index += 1) {
  const result = await round();
  plain.push(result.unpackedMs);
  pack.push(result.packedMs);
  packs = result.packs;
}
// Best of the rounds each way: on a shared machine load only adds time.
process.stdout.write(JSON.stringify({ backend: choice.backend, packs, unpackedMs: Math.min(...plain), packedMs: Math.min(...pack) }) + '\n');
