import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../tests/support/cli.js';
import { dbRows, pointsCsv, pointsSpec } from '../../tests/support/dataFiles.js';

// RELIABILITY row 45: the kept CSV is edited between resumes, then restored.
const dir = mkdtempSync(join(tmpdir(), 'tunebench-datachanged-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dataset changed under a study', () => {
  it('pauses before any trial while the file differs, and finishes every trial once it is restored', async () => {
    mkdirSync(join(dir, 'store'));
    const csv = join(dir, 'points.csv');
    const spec = join(dir, 'points.yaml');
    const db = join(dir, 'store', 'points.db');
    writeFileSync(csv, pointsCsv());
    writeFileSync(spec, pointsSpec('points.csv'));
    const child = startCli(['sweep', spec, '--db', db]);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let code: number | null | undefined;
    void exited.then((c) => (code = c));
    const completeCount = () => {
      try {
        return dbRows<{ n: number }>(db, "select count(*) n from trial where state = 'complete'")[0]?.n ?? 0;
      } catch {
        return 0;
      }
    };
    const deadline = Date.now() + 90_000;
    while (completeCount() < 1 && code === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(completeCount(), stderr).toBeGreaterThanOrEqual(1);
    child.kill('SIGINT');
    await exited;

    const [stored] = dbRows<{ spec: string }>(db, 'select spec from study');
    const kept = (JSON.parse(stored?.spec ?? '{}') as { dataset: { csv: string } }).dataset.csv;
    const trialsBefore = dbRows<{ n: number }>(db, 'select count(*) n from trial')[0]?.n;
    writeFileSync(kept, pointsCsv(true));

    const refused = runCli(['resume', 'points', '--db', db, '--json']);
    expect(refused.status, refused.stderr).toBe(1);
    const summary = JSON.parse(refused.stdout) as { study: { status: string; reason: string } };
    expect(summary.study.status).toBe('paused');
    expect(summary.study.reason).toMatch(/has changed since the study started.*restore the file/);
    expect(dbRows<{ n: number }>(db, 'select count(*) n from trial')[0]?.n).toBe(trialsBefore);
    expect(dbRows(db, "select id from trial where error_code = 'DATASET_CHANGED' or error like '%fingerprint%'")).toEqual([]);
    expect(dbRows<{ status: string }>(db, 'select status from study')[0]?.status).toBe('paused');

    writeFileSync(kept, pointsCsv());
    expect(readFileSync(kept, 'utf8')).toBe(pointsCsv());
    const resumed = runCli(['resume', 'points', '--db', db, '--json']);
    expect(resumed.status, resumed.stderr).toBe(0);
    const complete = dbRows<{ params: string }>(db, "select params from trial where state = 'complete'");
    expect(new Set(complete.map((t) => t.params)).size).toBe(8);
  });
});
