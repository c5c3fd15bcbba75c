import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from './sqliteStore.js';
import { describeStoreContract } from '../../tests/support/storeContract/index.js';
import { completed, curve, sampleParams, sampleStudy } from '../../tests/support/storeFixtures.js';
import { useTempDatabases } from '../../tests/support/sqliteFiles.js';

const temp = useTempDatabases();

describeStoreContract('sqlite (file)', () => openSqliteStore(temp.file()));

describe('openSqliteStore', () => {
  it('creates the parent folder and a WAL database at the latest schema', async () => {
    const path = temp.file(join('nested', 'deeper', 'tunebench.db'));
    const store = await openSqliteStore(path);
    await store.createStudy(sampleStudy('x'));
    await store.close();
    await store.close(); // closing twice is harmless
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(5);
    db.close();
    await expect(store.listStudies()).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('keeps what was written across a reopen', async () => {
    const path = temp.file();
    const first = await openSqliteStore(path);
    const study = await first.createStudy(sampleStudy('durable'));
    const trial = await first.createTrial(study.id, sampleParams(), 1);
    await first.markTrialRunning(trial.id, 'w', 1_000);
    const done = await first.finishTrial(trial.id, completed(0.25), curve(trial.id, 'val_loss', [0.5, 0.25]));
    await first.close();
    const second = await openSqliteStore(path);
    expect(await second.getTrial(trial.id)).toEqual(done);
    expect(await second.getMetrics([trial.id])).toEqual(curve(trial.id, 'val_loss', [0.5, 0.25]));
    await second.close();
  });

  it('hands out dense, unique numbers to two connections writing the same study', async () => {
    const path = temp.file();
    const a = await openSqliteStore(path);
    const b = await openSqliteStore(path);
    const study = await a.createStudy(sampleStudy('shared'));
    const trials = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).createTrial(study.id, sampleParams(), i)),
    );
    expect(trials.map((t) => t.number).sort((x, y) => x - y)).toEqual(trials.map((_, i) => i));
    await a.close();
    await b.close();
  });
});

describe('locks and damage', () => {
  it('fails a write with STORE_LOCKED while another connection holds BEGIN EXCLUSIVE, then succeeds', async () => {
    const path = temp.file();
    const store = await openSqliteStore(path, { busyTimeoutMs: 50 });
    const study = await store.createStudy(sampleStudy('locked'));
    const other = new Database(path);
    other.exec('BEGIN EXCLUSIVE');
    try {
      await expect(store.createTrial(study.id, sampleParams(), 1)).rejects.toMatchObject({
        code: 'STORE_LOCKED',
        message: expect.stringContaining(path),
      });
      expect((await store.getStudy(study.id)).name).toBe('locked'); // WAL: reads go on
    } finally {
      other.exec('COMMIT');
      other.close();
    }
    const trial = await store.createTrial(study.id, sampleParams(), 1);
    expect(trial.number).toBe(0);
    expect((await store.listTrials(study.id)).total).toBe(1); // the refused write left nothing
    await store.close();
  });

  it('refuses a file of random bytes with STORE_CORRUPT naming the path', async () => {
    const path = join(temp.dir, 'random.db');
    writeFileSync(path, randomBytes(16_384));
    const before = readFileSync(path);
    await expect(openSqliteStore(path)).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
      message: expect.stringContaining(path),
      issues: [{ where: path }],
    });
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('reports damaged pages as STORE_CORRUPT, at open (quick_check) or, unchecked, at the first read', async () => {
    const path = join(temp.dir, 'damaged.db');
    const store = await openSqliteStore(path);
    const study = await store.createStudy(sampleStudy('damaged'));
    for (let i = 0; i < 50; i++) await store.createTrial(study.id, sampleParams(), i);
    await store.close();
    const raw = new Database(path);
    const { rootpage } = raw.prepare<[], { rootpage: number }>("SELECT rootpage FROM sqlite_master WHERE name = 'trial'").get() ?? { rootpage: 0 };
    raw.close();
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    // The trial table's root page is garbage; the schema (which spans several pages) stays readable.
    bytes.fill(0xa5, (rootpage - 1) * pageSize, rootpage * pageSize);
    writeFileSync(path, bytes);
    await expect(openSqliteStore(path, { quickCheck: true })).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    const lenient = await openSqliteStore(path, { quickCheck: false });
    await expect(lenient.listTrials(study.id)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await lenient.close();
  });
});

describe('transactions', () => {
  // A trigger added from a second connection aborts the write at its last statement.
  const abortWhen = (path: string, trigger: string) => {
    const db = new Database(path);
    db.exec(trigger);
    db.close();
  };

  it('finishTrial leaves no metric behind when the state update fails', async () => {
    const path = temp.file();
    const store = await openSqliteStore(path);
    const study = await store.createStudy(sampleStudy('atomic'));
    const trial = await store.createTrial(study.id, sampleParams(), 1);
    await store.markTrialRunning(trial.id, 'w', 1);
    abortWhen(
      path,
      `CREATE TRIGGER fail_finish BEFORE UPDATE OF state ON trial WHEN NEW.error = 'boom'
       BEGIN SELECT raise(ABORT, 'injected'); END`,
    );
    const failing = { ...completed(null), state: 'failed' as const, error: 'boom' };
    await expect(store.finishTrial(trial.id, failing, curve(trial.id, 'loss', [1, 2, 3]))).rejects.toThrow('injected');
    expect(await store.getMetrics([trial.id])).toEqual([]);
    expect((await store.getTrial(trial.id)).state).toBe('running');
    await store.finishTrial(trial.id, completed(2), curve(trial.id, 'loss', [1, 2, 3]));
    expect(await store.getMetrics([trial.id])).toHaveLength(3);
    await store.close();
  });

  it('appendMetrics writes none of a batch that fails midway', async () => {
    const path = temp.file();
    const store = await openSqliteStore(path);
    const study = await store.createStudy(sampleStudy('batch'));
    const trial = await store.createTrial(study.id, sampleParams(), 1);
    abortWhen(
      path,
      `CREATE TRIGGER fail_point BEFORE INSERT ON trial_metric WHEN NEW.epoch = 3
       BEGIN SELECT raise(ABORT, 'injected'); END`,
    );
    await expect(store.appendMetrics(curve(trial.id, 'loss', [5, 4, 3, 2, 1]))).rejects.toThrow('injected');
    expect(await store.getMetrics([trial.id])).toEqual([]);
    expect((await store.getTrial(trial.id)).epochsRun).toBe(0);
    await store.close();
  });
});

describe('change feed', () => {
  it('changeMark moves when another connection commits, and not for reads', async () => {
    const path = temp.file();
    const reader = await openSqliteStore(path);
    const writer = await openSqliteStore(path);
    const study = await writer.createStudy(sampleStudy('fed'));
    const before = await reader.changeMark();
    await reader.listStudies();
    expect(await reader.changeMark()).toBe(before);
    await writer.createTrial(study.id, sampleParams(), 1);
    expect(await reader.changeMark()).not.toBe(before);
    await Promise.all([reader.close(), writer.close()]);
  });
});
