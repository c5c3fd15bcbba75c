import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appPath } from '../paths.js';
import { runCli } from '../../tests/support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-program-test-split-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A test part changes which rows train: a program that split without it would train on others.
const spec = `
name: program-test-split
dataset: builtin:iris
model: { type: mlp, hidden: [8] }
objective: { metric: val_loss, direction: minimize }
epochs: 5
testSplit: 0.3
space: { optimizer: adam, learningRate: { choice: [0.02, 0.05] }, batchSize: 16 }
search: { strategy: grid }
seed: 7
`;

describe('the exported TS program of a study with a test part', () => {
  it('splits off the same test rows as the sweep and prints the trial\'s value exactly', () => {
    writeFileSync(join(dir, 'spec.yaml'), spec);
    const db = join(dir, 'sweep.db');
    const sweep = runCli(['sweep', join(dir, 'spec.yaml'), '--db', db, '--workers', '1', '--json']);
    expect(sweep.status, sweep.stderr).toBe(0);
    const best = (JSON.parse(sweep.stdout) as { best: { value: number } }).best;
    // The packages its install line names are this checkout's (no registry): linked, not copied.
    const run = mkdtempSync(join(dir, 'run-'));
    symlinkSync(appPath('node_modules'), join(run, 'node_modules'));
    const exported = runCli(['export', 'program-test-split', '--db', db, '--format', 'ts', '--out', join(run, 'best.mjs')]);
    expect(exported.status, exported.stderr).toBe(0);
    const program = spawnSync(process.execPath, ['best.mjs'], { cwd: run, encoding: 'utf8', timeout: 170_000 });
    expect(program.status, program.stderr).toBe(0);
    const final = /^final value: (\S+) \(val_loss/m.exec(program.stdout);
    expect(final, program.stdout).not.toBeNull();
    expect(Number(final?.[1])).toBe(best.value);
  }, 240_000);
});
