import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../tests/support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rows = ['height,width,colour,kind', ...Array.from({ length: 40 }, (_, i) => `${i % 7},${i % 5},${i % 2 ? 'red' : 'blue'},${['a', 'b'][i % 2]}`)];
mkdirSync(join(dir, 'data'));
writeFileSync(join(dir, 'data', 'shapes.csv'), rows.join('\n') + '\n');
writeFileSync(join(dir, 'data', 'one-row.csv'), 'height,size\n1,2\n');

/** A spec in `specs/` naming a CSV relative to that folder; validated from another folder. */
function validate(dataset: string, extra = '', metric = 'val_accuracy') {
  mkdirSync(join(dir, 'specs'), { recursive: true });
  const spec = join(dir, 'specs', 'spec.yaml');
  writeFileSync(spec, `dataset: ${dataset}\nobjective: { metric: ${metric}, direction: maximize }\nspace: { optimizer: adam, learningRate: 0.01, batchSize: { choice: [8, 64] } }\n${extra}`);
  return runCli(['validate', spec], { cwd: tmpdir() });
}

describe('tunebench validate runs every check a sweep runs before training', () => {
  it('accepts a good spec with a CSV relative to the spec file, from another folder, and notes the clamped batch size', () => {
    const result = validate('{ csv: ../data/shapes.csv, target: kind }');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('ok: 2 trials planned (grid)');
    expect(result.stdout).toContain('dataset shapes: 40 rows, 4 features, classification, target "kind"');
    expect(result.stdout).toContain('note: batch sizes above 32 (the training rows) are clamped to 32');
  });

  it('refuses a missing CSV, naming the field and the path', () => {
    const result = validate('{ csv: ../data/nope.csv, target: kind }');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('/dataset/csv');
    expect(result.stderr).toContain(join(dir, 'data', 'nope.csv'));
  });

  it('refuses a misspelled target, listing the columns', () => {
    const result = validate('{ csv: ../data/shapes.csv, target: knd }');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('/dataset/target');
    expect(result.stderr).toContain('"kind"');
  });

  it('refuses a 1-row CSV that cannot be split', () => {
    const result = validate('{ csv: ../data/one-row.csv, target: size, task: regression }', 'model: { type: linear }\n', 'val_mae');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('/validationSplit: 1 row(s) cannot be split');
  });

  it('refuses a metric that does not fit the task, a model that does not fit the data, and an unknown dropped column', () => {
    const metric = validate('{ csv: ../data/shapes.csv, target: height, task: regression }');
    expect(metric.status).toBe(2);
    expect(metric.stderr).toContain('/objective/metric');
    const cnn = validate('{ csv: ../data/shapes.csv, target: kind }', 'model: { type: cnn }\n');
    expect(cnn.status).toBe(2);
    expect(cnn.stderr).toContain('/model/type');
    const dropped = validate('{ csv: ../data/shapes.csv, target: kind, dropColumns: [color] }');
    expect(dropped.status).toBe(2);
    expect(dropped.stderr).toContain('/dataset/dropColumns/0');
  });
});
