import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../tests/support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-cli-grow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeSpec(name: string, search: string): string {
  const path = join(dir, name);
  writeFileSync(path, `
dataset: builtin:iris
model: { type: mlp, hidden: [8] }
objective: { metric: val_accuracy, direction: maximize }
epochs: 3
space:
  optimizer: { choice: [sgd, adam] }
  learningRate: { logUniform: [0.001, 0.3] }
  batchSize: { choice: [16, 32] }
search: ${search}
seed: 2
`);
  return path;
}

describe('extend, rerun and warm start from the real CLI (real training on iris)', () => {
  it('extends a random study, re-runs its best with new seeds and prints mean and 95% interval', () => {
    const db = join(dir, 'grow.db');
    const sweep = runCli(['sweep', writeSpec('random.yaml', '{ strategy: random, trials: 3, seed: 5 }'), '--db', db, '--name', 'r', '--workers', '2', '--json']);
    expect(sweep.status, sweep.stderr).toBe(0);

    const extend = runCli(['extend', 'r', '--trials', '2', '--db', db, '--workers', '2', '--json']);
    expect(extend.status, extend.stderr).toBe(0);
    expect(JSON.parse(extend.stdout)).toMatchObject({ plannedTrials: 5, counts: { complete: 5 } });

    const rerun = runCli(['rerun', 'r', '--top', '1', '--seeds', '2', '--db', db, '--workers', '2', '--json']);
    expect(rerun.status, rerun.stderr).toBe(0);
    const summary = JSON.parse(rerun.stdout);
    expect(summary).toMatchObject({ plannedTrials: 7, counts: { complete: 7 } });
    expect(summary.configurations).toHaveLength(1);
    const [config] = summary.configurations;
    expect(config.values).toHaveLength(3);
    expect(config.interval[0]).toBeLessThanOrEqual(config.mean);
    expect(config.interval[1]).toBeGreaterThanOrEqual(config.mean);

    const text = runCli(['rerun', 'r', '--trial', String(config.trialNumbers[0]), '--seeds', '1', '--db', db]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/val_accuracy over seeds, per configuration:\n.*95% interval/);
    expect(text.stdout).toMatch(/ 4 +\S+ +\S+ \.\. \S+/); // four runs of the configuration now
  });

  it('refuses to extend a grid and to warm-start a non-TPE or incompatible spec, with exit 2', () => {
    const db = join(dir, 'refuse.db');
    const grid = join(dir, 'grid.yaml');
    writeFileSync(grid, `
dataset: builtin:iris
epochs: 1
space: { optimizer: sgd, learningRate: 0.01, batchSize: 16 }
`);
    expect(runCli(['sweep', grid, '--db', db, '--name', 'g', '--json']).status).toBe(0);
    const extend = runCli(['extend', 'g', '--trials', '2', '--db', db]);
    expect(extend.status).toBe(2);
    expect(extend.stderr).toContain('grid search: every point of its grid has been asked');

    const random = runCli(['sweep', writeSpec('r2.yaml', '{ strategy: random, trials: 2 }'), '--db', db, '--warm-start', 'g']);
    expect(random.status).toBe(2);
    expect(random.stderr).toContain("--warm-start seeds TPE's model, but the spec's search.strategy is random");

    const tpe = runCli(['sweep', writeSpec('tpe.yaml', '{ strategy: tpe, trials: 2 }'), '--db', db, '--warm-start', 'g']);
    expect(tpe.status).toBe(2);
    expect(tpe.stderr).toContain('cannot warm-start from study g: objective minimize val_loss differs from maximize val_accuracy');
  });
});
