import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../tests/support/cli.js';
import { dbRows, pointsCsv, pointsSpec } from '../../tests/support/dataFiles.js';
import { createTunebenchService } from '../engine/service.js';
import { openSqliteStore } from '../store/sqliteStore.js';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-datapaths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const folder = (...parts: string[]) => {
  const path = join(dir, ...parts);
  mkdirSync(path, { recursive: true });
  return path;
};

describe('CSV paths: relative to the spec file, kept by content', () => {
  const csv = join(folder('project', 'data'), 'points.csv');
  const spec = join(folder('project', 'specs'), 'points.yaml');
  const db = join(folder('store'), 'points.db');

  it('sweeps from another folder; after Ctrl-C and a changed file, resume from a third folder trains every trial on the original data', async () => {
    writeFileSync(csv, pointsCsv());
    writeFileSync(spec, pointsSpec('../data/points.csv'));
    const child = startCli(['sweep', spec, '--db', db], { cwd: folder('elsewhere-1') });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const completeCount = () => {
      try {
        return dbRows<{ n: number }>(db, "select count(*) n from trial where state = 'complete'")[0]?.n ?? 0;
      } catch {
        return 0;
      }
    };
    const deadline = Date.now() + 90_000;
    let code: number | null | undefined;
    void exited.then((c) => (code = c));
    while (completeCount() < 1 && code === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(completeCount(), stderr).toBeGreaterThanOrEqual(1);
    child.kill('SIGINT');
    await exited;

    // A different file now has the old name: what the study trains on must not change.
    writeFileSync(csv, pointsCsv(true));
    const [stored] = dbRows<{ spec: string }>(db, 'select spec from study');
    const keptPath = (JSON.parse(stored?.spec ?? '{}') as { dataset: { csv: string } }).dataset.csv;
    expect(keptPath.startsWith(join(dir, 'store', 'datasets'))).toBe(true);
    expect(readFileSync(keptPath, 'utf8')).toBe(pointsCsv());

    const resumed = runCli(['resume', 'points', '--db', db, '--json'], { cwd: folder('elsewhere-2') });
    expect(resumed.status, resumed.stderr).toBe(0);
    const complete = dbRows<{ params: string }>(db, "select params from trial where state = 'complete'");
    expect(new Set(complete.map((t) => t.params)).size).toBe(8);
    const dataErrors = dbRows(db, "select error from trial where error like '%dataset%' or error like '%not found%'");
    expect(dataErrors).toEqual([]);
  });

  it('Duplicate and "New from this spec" train from any working directory on the kept file', async () => {
    const store = await openSqliteStore(db);
    const service = createTunebenchService({ store, workDir: folder('elsewhere-3'), datasetsDir: join(dir, 'store', 'datasets') });
    try {
      const source = await service.study('points');
      const copy = await service.studies.duplicate({ study: source.id });
      expect((await service.run(copy, { workers: 1 })).status).toBe('done');
      const fresh = await service.studies.create({ spec: { ...source.spec, name: 'points-again' }, start: false });
      expect((await service.run(fresh, { workers: 1 })).status).toBe('done');
      for (const study of [copy, fresh]) {
        const detail = await service.studies.get({ study: study.id });
        expect(detail.study.counts.complete).toBe(8);
        expect(study.datasetFingerprint).toBe(source.datasetFingerprint);
      }
    } finally {
      await service.close();
    }
  });
});

describe('testSplit: a held-out score that never selects', () => {
  it('stores only the best epoch\'s test metrics and shows them on the leaderboard and in exports', () => {
    const csv = join(folder('test-split'), 'points.csv');
    writeFileSync(csv, pointsCsv());
    const spec = join(dir, 'test-split', 'spec.yaml');
    writeFileSync(spec, `
dataset: { csv: points.csv, target: label }
objective: { metric: val_accuracy, direction: maximize }
epochs: 6
validationSplit: 0.25
testSplit: 0.2
space: { optimizer: adam, learningRate: { choice: [0.01, 0.1] }, batchSize: 64 }
workers: 1
`);
    const db = join(dir, 'test-split', 'test.db');
    const sweep = runCli(['sweep', spec, '--db', db, '--json']);
    expect(sweep.status, sweep.stderr).toBe(0);
    const summary = JSON.parse(sweep.stdout);
    expect(summary.best.testMetrics.test_accuracy).toBeGreaterThanOrEqual(0);
    expect(summary.notes.join(' ')).toContain('batch sizes above 33 (the training rows) are clamped to 33');
    // The test points are stored for the best epoch only, never as a curve.
    const points = dbRows(db, `select count(*) n, sum(m.epoch = t.best_epoch) best
      from trial_metric m join trial t on t.id = m.trial_id where m.name like 'test_%'`);
    expect(points).toEqual([{ n: 4, best: 4 }]);
    expect(dbRows(db, "select count(*) n from trial_metric where name = 'val_accuracy'")).toEqual([{ n: 12 }]);

    const show = runCli(['show', '1', '--db', db]);
    expect(show.stdout).toContain('test_accuracy');
    expect(show.stdout).toContain('the validation value is optimistic');
    const shown = JSON.parse(runCli(['show', '1', '--db', db, '--json']).stdout);
    expect(Object.keys(shown.trials[0].testMetrics).sort()).toEqual(['test_accuracy', 'test_loss']);
    const exported = JSON.parse(runCli(['export', '1', '--db', db, '--format', 'json', '--top', '2']).stdout);
    expect(exported.trials.map((t: { testMetrics: unknown }) => t.testMetrics)).toEqual(shown.trials.map((t: { testMetrics: unknown }) => t.testMetrics));
    expect(exported.trials[0].config.testSplit).toBe(0.2);
    const csvLines = runCli(['export', '1', '--db', db, '--format', 'csv']).stdout.split('\r\n');
    expect(csvLines[0]?.endsWith(',seed,test_accuracy,test_loss')).toBe(true);
    expect(csvLines[1]?.split(',').at(-2)).toBe(String(shown.trials[0].testMetrics.test_accuracy));
  });
});
