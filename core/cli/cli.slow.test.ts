import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, runCli, startCli } from '../../tests/support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-cli-slow-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeSpec(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

const irisGrid = `
name: iris-grid
dataset: builtin:iris
model: { type: mlp, hidden: [8] }
objective: { metric: val_accuracy, direction: maximize }
epochs: 5
space:
  optimizer: { choice: [sgd, adam] }
  learningRate: { choice: [0.01, 0.1] }
  batchSize: { choice: [16, 32] }
search: { strategy: grid }
seed: 3
`;

describe('tunebench CLI end to end (real training)', () => {
  it('sweeps a 2x2x2 grid on iris with 2 workers; show and export agree on the best', () => {
    const db = join(dir, 'grid.db');
    const spec = writeSpec('grid.yaml', irisGrid);
    const sweep = runCli(['sweep', spec, '--db', db, '--workers', '2', '--json']);
    expect(sweep.status, sweep.stderr).toBe(0);
    const summary = JSON.parse(sweep.stdout);
    expect(summary.counts.complete).toBe(8);
    expect(summary.study.status).toBe('done');

    const show = JSON.parse(runCli(['show', 'iris-grid', '--db', db, '--json']).stdout);
    expect(show.total).toBe(8);
    // Epochs read 1-based: the table's best epoch is the API's (0-based) plus one.
    const table = runCli(['show', 'iris-grid', '--db', db, '--top', '1']).stdout;
    const topRow = table.split('\n').find((line) => line.startsWith('1 '))!.split(/\s{2,}/);
    expect(topRow[4]).toBe(String(show.trials[0].bestEpoch + 1));
    const beyond = runCli(['show', 'iris-grid', '--db', db, '--value', 'epoch:6']);
    expect(beyond.status).toBe(0);
    expect(beyond.stderr).toContain('warning: the study trains 5 epochs; epoch 6 has no values');
    const last = JSON.parse(runCli(['show', 'iris-grid', '--db', db, '--value', 'epoch:5', '--json']).stdout);
    const lastByEpoch = JSON.parse(runCli(['show', 'iris-grid', '--db', db, '--value', 'last', '--json']).stdout);
    expect(last.trials.map((t: { value: number }) => t.value)).toEqual(lastByEpoch.trials.map((t: { value: number }) => t.value));
    const exported = JSON.parse(runCli(['export', 'iris-grid', '--db', db, '--format', 'json']).stdout);
    expect(exported.trials[0].number).toBe(show.trials[0].number);
    expect(exported.trials[0].value).toBe(show.trials[0].value);
    expect(summary.best.value).toBe(show.trials[0].value);
    expect(show.trials.every((t: { backend: string }) => ['wasm', 'cpu', 'tensorflow'].includes(t.backend))).toBe(true);

    const raw = new Database(db, { readonly: true });
    expect(raw.prepare("select count(*) n from trial where state = 'complete'").get()).toEqual({ n: 8 });
    expect((raw.prepare('select count(distinct trial_id) n from trial_metric').get() as { n: number }).n).toBe(8);
    raw.close();
  });

  it('gives the same random trials in the same order for the same seed', () => {
    const spec = writeSpec('random.yaml', `
dataset: builtin:iris
epochs: 1
space:
  optimizer: { choice: [sgd, momentum, adam, rmsprop] }
  learningRate: { logUniform: [0.0001, 0.1] }
  batchSize: { choice: [16, 32, 64] }
  lrSchedule: { choice: [constant, cosine, step] }
search: { strategy: random, trials: 5, seed: 11 }
`);
    const paramsOf = (db: string) => {
      expect(runCli(['sweep', spec, '--db', db, '--json', '--workers', '2']).status).toBe(0);
      const show = JSON.parse(runCli(['show', '1', '--db', db, '--json', '--top', '10']).stdout);
      return show.trials.sort((a: { number: number }, b: { number: number }) => a.number - b.number).map((t: { params: unknown }) => t.params);
    };
    const first = paramsOf(join(dir, 'r1.db'));
    expect(first).toHaveLength(5);
    expect(paramsOf(join(dir, 'r2.db'))).toEqual(first);
  });

  it('sweeps a CSV it has never seen, naming its text target', () => {
    const rows = ['height,weight,colour,kind'];
    for (let i = 0; i < 120; i += 1) {
      const kind = i % 3 === 0 ? 'alpha' : i % 3 === 1 ? 'beta' : 'gamma';
      const base = i % 3;
      rows.push(`${(base * 2 + (i % 7) / 10).toFixed(2)},${(base + (i % 5) / 10).toFixed(2)},${i % 2 ? 'red' : 'blue'},${kind}`);
    }
    writeFileSync(join(dir, 'unseen.csv'), rows.join('\n') + '\n');
    const spec = writeSpec('unseen.yaml', `
dataset: { csv: unseen.csv, target: kind }
objective: { metric: val_accuracy, direction: maximize }
epochs: 10
space: { optimizer: adam, learningRate: { choice: [0.01, 0.05] }, batchSize: 16 }
`);
    const result = runCli(['sweep', spec, '--db', join(dir, 'csv.db'), '--json'], { cwd: dir });
    expect(result.status, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.counts.complete).toBe(2);
    expect(summary.best.value).toBeGreaterThan(0.5);
  });

  it('survives kill -9 mid-sweep: finished trials are kept and resume completes the study', async () => {
    const db = join(dir, 'killed.db');
    const spec = writeSpec('long.yaml', irisGrid.replace('name: iris-grid', 'name: killed').replace('epochs: 5', 'epochs: 1000'));
    const child = startCli(['sweep', spec, '--db', db, '--workers', '2']);
    const completeCount = () => {
      try {
        const raw = new Database(db, { readonly: true, fileMustExist: true });
        try {
          return (raw.prepare("select count(*) n from trial where state = 'complete'").get() as { n: number }).n;
        } finally {
          raw.close();
        }
      } catch {
        return 0;
      }
    };
    const deadline = Date.now() + 90_000;
    while (completeCount() < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const before = completeCount();
    expect(before).toBeGreaterThanOrEqual(2);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const raw = new Database(db, { readonly: true });
    const keptBefore = raw.prepare("select number, value from trial where state = 'complete' order by number").all();
    expect(raw.pragma('quick_check', { simple: true })).toBe('ok');
    raw.close();
    expect(keptBefore.length).toBeGreaterThanOrEqual(before);

    // RELIABILITY row 40: the dead owner's lease expires; the study reads interrupted within 30 s.
    const killedAt = Date.now();
    const statusOf = () => JSON.parse(runCli(['studies', '--db', db, '--json']).stdout)[0].status as string;
    while (statusOf() !== 'interrupted' && Date.now() - killedAt < 30_000) await new Promise((r) => setTimeout(r, 500));
    expect(statusOf()).toBe('interrupted');
    expect(runCli(['show', 'killed', '--db', db]).stdout).toMatch(/interrupted \(resume it\)/);

    const resumed = runCli(['resume', 'killed', '--db', db, '--json', '--workers', '2']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary.study.status).toBe('done');
    const after = new Database(db, { readonly: true });
    const complete = after.prepare("select number, value, params from trial where state = 'complete' order by number").all() as { number: number; value: number; params: string }[];
    // Every grid point is complete exactly once, and what finished before the kill is unchanged.
    expect(new Set(complete.map((t) => t.params)).size).toBe(8);
    for (const kept of keptBefore as { number: number; value: number }[]) {
      expect(complete.find((t) => t.number === kept.number)?.value).toBe(kept.value);
    }
    const stale = after.prepare("select count(*) n from trial where error = 'stale'").get() as { n: number };
    expect(stale.n).toBeGreaterThanOrEqual(1); // the trials running at the kill
    expect(after.prepare("select count(*) n from trial where state in ('running', 'queued')").get()).toEqual({ n: 0 });
    // Progress counts once per planned trial (issue 9, defect 11: never 10/8 after a resume).
    expect(summary.counts.complete + summary.counts.failed + summary.counts.cancelled).toBe(8);
    after.close();
  });

  it('a sweep in which no trial completed reads failed and exits non-zero (issue 9, defect 1)', () => {
    const db = join(dir, 'diverged.db');
    const spec = writeSpec('diverged.yaml', irisGrid.replace('name: iris-grid', 'name: diverged')
      .replace('optimizer: { choice: [sgd, adam] }', 'optimizer: sgd')
      .replace('learningRate: { choice: [0.01, 0.1] }', 'learningRate: { choice: [1000000, 10000000] }')
      .replace('batchSize: { choice: [16, 32] }', 'batchSize: 16'));
    const sweep = runCli(['sweep', spec, '--db', db, '--workers', '1', '--json']);
    expect(sweep.status).toBe(1);
    const summary = JSON.parse(sweep.stdout);
    expect(summary.study).toMatchObject({ status: 'failed', reason: 'no trial completed (2 failed, 0 pruned)' });
    expect(JSON.parse(runCli(['studies', '--db', db, '--json']).stdout)[0].status).toBe('failed');
  });

  it('refuses a second CLI on a live sweep at once, naming the owner; the owner goes on (row 39)', async () => {
    const db = join(dir, 'owned.db');
    const spec = writeSpec('owned.yaml', irisGrid.replace('name: iris-grid', 'name: owned').replace('epochs: 5', 'epochs: 1000'));
    const child = startCli(['sweep', spec, '--db', db, '--workers', '1', '--json']);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const runningTrials = () => {
      try {
        const raw = new Database(db, { readonly: true, fileMustExist: true });
        try {
          return (raw.prepare("select count(*) n from trial where state = 'running'").get() as { n: number }).n;
        } finally {
          raw.close();
        }
      } catch {
        return 0;
      }
    };
    while (runningTrials() === 0) await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    const refused = runCli(['resume', 'owned', '--db', db]);
    expect(Date.now() - started).toBeLessThan(10_000); // it does not wait for the owner
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(new RegExp(`running in another process \\(host .+, pid ${child.pid}\\)`));
    expect(runCli(['studies', '--db', db]).stdout).toMatch(new RegExp(`running \\(pid ${child.pid} on `));
    expect(await exited).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.study.status).toBe('done');
    expect(summary.counts).toMatchObject({ complete: 8, failed: 0 });
  });

  it('Ctrl-C to the whole process group cancels: trials cancelled (never crashed(SIGINT)), study cancelled, resume finishes (row 18)', async () => {
    const db = join(dir, 'ctrlc.db');
    const spec = writeSpec('ctrlc.yaml', irisGrid.replace('name: iris-grid', 'name: ctrlc').replace('epochs: 5', 'epochs: 1000'));
    // Its own process group, as a terminal's foreground job: the signal reaches the CLI and its workers.
    const child = spawn(process.execPath, [binPath, 'sweep', spec, '--db', db, '--workers', '2'], { detached: true, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const count = (where: string) => {
      try {
        const raw = new Database(db, { readonly: true, fileMustExist: true });
        try {
          return (raw.prepare(`select count(*) n from trial where ${where}`).get() as { n: number }).n;
        } finally {
          raw.close();
        }
      } catch {
        return 0;
      }
    };
    while (count("state = 'running' and epochs_run > 0") < 2) await new Promise((r) => setTimeout(r, 200));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(130);
    expect(count("state = 'cancelled'")).toBeGreaterThanOrEqual(1);
    expect(count("error like '%SIGINT%' or state = 'failed'")).toBe(0);
    expect(JSON.parse(runCli(['studies', '--db', db, '--json']).stdout)[0]).toMatchObject({ status: 'cancelled' });
    const resumed = runCli(['resume', 'ctrlc', '--db', db, '--json', '--workers', '2']);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout).counts).toMatchObject({ complete: 8, cancelled: 0, failed: 0 });
  });
});
