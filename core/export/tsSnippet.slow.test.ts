import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { MetricPoint, Study, Trial } from '../api/domain.js';
import { runCli } from '../../tests/support/cli.js';
import { appPath, appRoot } from '../paths.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import type { ExportDocument } from './exportData.js';
import { renderExport } from './renderExport.js';
import { mnistInfo, regressionInfo, snippetFor } from '../../tests/support/export.js';

// A real sweep (the CLI, its worker process, the wasm backend here) of one short iris trial with
// dropout, a decaying schedule and a continuous objective, so a mismatch cannot hide in a rounded
// accuracy.
const spec = `
name: snippet-check
dataset: builtin:iris
model: { type: mlp, hidden: [8], dropout: 0.1 }
objective: { metric: val_loss, direction: minimize }
epochs: 6
space:
  optimizer: adam
  learningRate: 0.02
  batchSize: 16
  lrSchedule: exponential
  decayRate: 0.8
search: { strategy: grid }
seed: 5
`;

const dir = mkdtempSync(join(tmpdir(), 'tunebench-snippet-'));
let study: Study;
let trial: Trial;
let curve: MetricPoint[];
let exported: ExportDocument;
let program: string;

beforeAll(async () => {
  writeFileSync(join(dir, 'spec.yaml'), spec);
  const db = join(dir, 'sweep.db');
  // cwd: the repo, where the worker's `--import tsx` resolves.
  const sweep = runCli(['sweep', join(dir, 'spec.yaml'), '--db', db, '--workers', '1', '--json'], { cwd: appRoot() });
  expect(sweep.status, sweep.stderr).toBe(0);
  const store = await openSqliteStore(db);
  try {
    study = await store.getStudy('snippet-check');
    const { rows } = await store.listTrials(study.id, { states: ['complete'] });
    expect(rows).toHaveLength(1);
    trial = rows[0]!;
    curve = await store.getMetrics([trial.id], ['val_loss']);
    program = (await renderExport(store, study, 'ts', 1)).text;
    exported = JSON.parse((await renderExport(store, study, 'json', 1)).text) as ExportDocument;
  } finally {
    await store.close();
  }
  // The program imports @tensorflow/tfjs and pure-rand: give its folder the repo's node_modules.
  symlinkSync(appPath('node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'best.ts'), program);
}, 150_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the exported TS program', () => {
  it('runs with npx tsx and reproduces the stored trial', () => {
    const run = spawnSync('npx', ['tsx', 'best.ts'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`backend ${trial.backend}`);
    // Every epoch's validation loss, printed to 5 digits, matches the sweep's curve.
    const printed = [...run.stdout.matchAll(/^epoch +(\d+) .* val_loss (\S+)/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(printed).toHaveLength(6);
    for (const [epoch, value] of printed) {
      const stored = curve.find((p) => p.epoch === epoch)?.value ?? NaN;
      expect(Math.abs(value! - stored)).toBeLessThan(1e-4 * Math.max(1, Math.abs(stored)));
    }
    const final = Number(/^final value: (\S+)/m.exec(run.stdout)?.[1]);
    // Same data, split, seeds, ops and backend: equal but for float32 sums the program does in
    // float64 (the validation loss is summed per 1024-row chunk either way).
    expect(Math.abs(final - (trial.value ?? NaN))).toBeLessThan(1e-6);
  });

  it('type-checks under strict TypeScript, as do a regressor and a cnn on wasm', () => {
    writeFileSync(join(dir, 'regressor.ts'), snippetFor({ optimizer: 'rmsprop', learningRate: 0.01, batchSize: 8, lrSchedule: 'cosine' }, {}, regressionInfo, 'cpu'));
    writeFileSync(join(dir, 'cnn.ts'), snippetFor({ optimizer: 'momentum', learningRate: 0.01, batchSize: 8, lrSchedule: 'step' }, { type: 'cnn' }, mnistInfo, 'wasm'));
    const tsc = join(appRoot(), 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--noEmit', '--strict', '--noUncheckedIndexedAccess', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    const check = spawnSync(process.execPath, [tsc, ...args, '--target', 'es2022', '--types', 'node', '--skipLibCheck', 'best.ts', 'regressor.ts', 'cnn.ts'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });
});

describe('the exported one-point spec', () => {
  it('re-runs with tunebench sweep as one trial with the same value', () => {
    const best = exported.trials[0]!;
    writeFileSync(join(dir, 'rerun.yaml'), stringify(best.spec));
    const db = join(dir, 'rerun.db');
    const sweep = runCli(['sweep', join(dir, 'rerun.yaml'), '--db', db, '--workers', '1', '--json'], { cwd: appRoot() });
    expect(sweep.status, sweep.stderr).toBe(0);
    const summary = JSON.parse(sweep.stdout) as { counts: { complete: number }; best: { value: number } | null };
    expect(summary.counts.complete).toBe(1);
    // Trial 0 both times: the same trial seed, so the same value, not just a close one.
    expect(best.number).toBe(0);
    expect(summary.best?.value).toBeCloseTo(best.value ?? NaN, 9);
  });
});
