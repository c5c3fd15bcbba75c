import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { appPath } from '../paths.js';
import { migrate, readMigrations, schemaVersion } from './migrate.js';
import { openSqliteStore } from './sqliteStore.js';
import { sampleDataset, sampleParams, sampleStudy } from '../../tests/support/storeFixtures.js';
import { useTempDatabases } from '../../tests/support/sqliteFiles.js';

const temp = useTempDatabases();
const shipped = readMigrations();
let dirs = 0;

/** A migrations folder with the first `count` shipped files plus `extra` ones. */
function migrationsDir(count: number, extra: Record<string, string> = {}): string {
  const dir = join(temp.dir, `migrations-${dirs++}`);
  mkdirSync(dir);
  for (const m of shipped.slice(0, count)) copyFileSync(appPath('migrations', m.file), join(dir, m.file));
  for (const [file, sql] of Object.entries(extra)) writeFileSync(join(dir, file), sql);
  return dir;
}

const tables = (db: Database.Database) =>
  db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();

describe('readMigrations', () => {
  it('reads the shipped migrations in order, numbered from 1 without gaps', () => {
    expect(shipped.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(shipped.map((m) => m.name)).toEqual(['initial', 'trial-heartbeat-notes', 'trial-backend-note', 'study-lease-trial-states', 'trial-history-index', 'trial-adapter']);
  });

  it('refuses a gap, a bad file name and a file that manages its own transaction', () => {
    expect(() => readMigrations(migrationsDir(1, { '0003-x.sql': 'SELECT 1;' }))).toThrow(/version 2/);
    expect(() => readMigrations(migrationsDir(2, { '3-x.sql': 'SELECT 1;' }))).toThrow(/NNNN-name/);
    expect(() => readMigrations(migrationsDir(2, { '0003-x.sql': 'BEGIN;\nSELECT 1;' }))).toThrow(/BEGIN/);
    expect(() => readMigrations(migrationsDir(2, { '0003-x.sql': 'PRAGMA user_version = 3;' }))).toThrow(/user_version/);
  });
});

/** A database at schema version 4 (before 5 and 6) holding one done study with the given id. */
function versionFourWithStudy(studyId: number): { path: string; db: Database.Database } {
  const path = temp.file();
  const db = new Database(path);
  migrate(db, readMigrations(migrationsDir(4)));
  const input = sampleStudy('v4');
  db.prepare(`INSERT INTO dataset VALUES (?, 'builtin:iris', 'iris', ?, 1)`).run(input.dataset.fingerprint, JSON.stringify(sampleDataset()));
  db.prepare(
    `INSERT INTO study (id, name, spec, objective_metric, direction, strategy, status, planned_trials,
       dataset_fingerprint, dataset_name, app_version, created_at, updated_at)
     VALUES (?, 'v4', ?, 'val_loss', 'minimize', 'random', 'done', 1, ?, 'iris', '0.1.0', 10, 20)`,
  ).run(studyId, JSON.stringify(input.spec), input.dataset.fingerprint);
  return { path, db };
}

describe('migrate', () => {
  it('brings an empty database to the latest version, and a rerun does nothing', () => {
    const db = new Database(temp.file());
    db.pragma('foreign_keys = ON');
    expect(migrate(db)).toEqual({ from: 0, to: 6, applied: [1, 2, 3, 4, 5, 6] });
    expect(tables(db).map((t) => t.name)).toEqual([
      'artifact',
      'dataset',
      'sqlite_sequence',
      'study',
      'study_lease',
      'trial',
      'trial_metric',
    ]);
    expect(migrate(db)).toEqual({ from: 6, to: 6, applied: [] });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1); // restored after the steps
    db.close();
  });

  it('upgrades a version-1 database with data, keeping every row', async () => {
    const path = temp.file();
    const db = new Database(path);
    migrate(db, readMigrations(migrationsDir(1)));
    expect(schemaVersion(db)).toBe(1);
    const input = sampleStudy('old');
    db.prepare(`INSERT INTO dataset VALUES (?, 'builtin:iris', 'iris', ?, 1)`).run(
      input.dataset.fingerprint,
      JSON.stringify(sampleDataset()),
    );
    db.prepare(
      `INSERT INTO study (id, name, spec, objective_metric, direction, strategy, status, planned_trials,
         dataset_fingerprint, dataset_name, app_version, created_at, updated_at)
       VALUES (7, 'old', ?, 'val_loss', 'minimize', 'random', 'done', 8, ?, 'iris', '0.0.9', 10, 20)`,
    ).run(JSON.stringify(input.spec), input.dataset.fingerprint);
    db.prepare(
      `INSERT INTO trial (id, study_id, number, params, state, value, best_epoch, epochs_run, started_at,
         ended_at, duration_ms, worker, backend, seed)
       VALUES (3, 7, 0, ?, 'complete', 0.25, 1, 2, 100, 400, 300, 'w0', 'wasm', 5)`,
    ).run(JSON.stringify(sampleParams()));
    db.prepare(`INSERT INTO trial_metric VALUES (3, 'val_loss', 0, 0.5), (3, 'val_loss', 1, 0.25)`).run();
    db.close();

    const store = await openSqliteStore(path);
    expect(await store.getStudy('old')).toMatchObject({ id: 7, status: 'done', appVersion: '0.0.9', notes: '', tags: [] });
    expect(await store.getTrial(3)).toMatchObject({
      number: 0,
      value: 0.25,
      durationMs: 300,
      heartbeatAt: null,
      retries: 0,
      notes: '',
      tags: [],
    });
    expect((await store.getMetrics([3])).map((p) => p.value)).toEqual([0.5, 0.25]);
    expect((await store.createTrial(7, sampleParams(), 6)).number).toBe(1);
    expect(await store.summarizeStudy(7)).toMatchObject({ bestValue: 0.25, bestTrialNumber: 0 });
    await store.close();
  });

  it('upgrades a version-3 database to 4 intact: ids, rows, lineage, codes, cancelled, foreign keys', async () => {
    const path = temp.file();
    const db = new Database(path);
    migrate(db, readMigrations(migrationsDir(3)));
    const input = sampleStudy('v3');
    db.prepare(`INSERT INTO dataset VALUES (?, 'builtin:iris', 'iris', ?, 1)`).run(input.dataset.fingerprint, JSON.stringify(sampleDataset()));
    const insertStudy = db.prepare(
      `INSERT INTO study (id, name, spec, objective_metric, direction, strategy, status, status_reason, planned_trials,
         dataset_fingerprint, dataset_name, app_version, created_at, updated_at, notes, tags)
       VALUES (?, ?, ?, 'val_loss', 'minimize', 'grid', ?, ?, 4, ?, 'iris', '0.1.0', 10, 20, 'n', '["t"]')`,
    );
    insertStudy.run(5, 'v3', JSON.stringify(input.spec), 'done', null, input.dataset.fingerprint);
    insertStudy.run(9, 'v3-cancelled', JSON.stringify(input.spec), 'paused', 'cancelled', input.dataset.fingerprint);
    const insertTrial = db.prepare(
      `INSERT INTO trial (id, study_id, number, params, state, value, seed, retries, error, backend_note)
       VALUES (?, 5, ?, ?, ?, ?, ?, ?, ?, 'note')`,
    );
    const params = JSON.stringify(sampleParams());
    insertTrial.run(20, 0, params, 'complete', 0.25, 100, 0, null);
    insertTrial.run(21, 1, params, 'failed', null, 101, 0, 'crashed(SIGKILL)');
    insertTrial.run(22, 2, params, 'failed', null, 101, 1, 'cancelled');
    insertTrial.run(23, 3, params, 'complete', 0.5, 101, 2, null);
    db.prepare(`INSERT INTO trial_metric VALUES (20, 'val_loss', 0, 0.25), (23, 'val_loss', 0, 0.5)`).run();
    db.prepare(`INSERT INTO artifact (trial_id, kind, path, created_at) VALUES (20, 'weights', '/w', 1)`).run();
    db.close();

    const store = await openSqliteStore(path);
    expect(await store.getStudy(5)).toMatchObject({ name: 'v3', status: 'done', notes: 'n', tags: ['t'], owner: null });
    expect(await store.getStudy(9)).toMatchObject({ status: 'cancelled' });
    const { rows } = await store.listTrials(5, { sort: 'number' });
    expect(rows.map((t) => [t.id, t.state, t.errorCode, t.retryOf, t.backendNote])).toEqual([
      [20, 'complete', null, null, 'note'],
      [21, 'failed', 'TRIAL_CRASHED', null, 'note'],
      [22, 'cancelled', 'TRIAL_CANCELLED', 21, 'note'],
      [23, 'complete', null, 22, 'note'],
    ]);
    // Planned trials counted once: the lineage 21 -> 22 -> 23 is one complete trial.
    expect((await store.summarizeStudy(5)).counts).toMatchObject({ complete: 2, failed: 0, cancelled: 0 });
    expect((await store.getMetrics([20, 23])).map((p) => p.value)).toEqual([0.25, 0.5]);
    expect((await store.createTrial(5, sampleParams(), 7)).id).toBe(24); // AUTOINCREMENT carries on
    await store.deleteStudy(5);
    await expect(store.getMetrics([20])).resolves.toEqual([]); // cascades still reach the metrics
    await store.close();
    const check = new Database(path);
    expect(check.pragma('foreign_key_check')).toEqual([]);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.prepare('SELECT count(*) AS n FROM artifact').get()).toEqual({ n: 0 });
    check.close();
  });

  it('upgrades a version-4 database: a trial keeps its backend note, has no adapter, and the column takes JSON only', async () => {
    const { path, db } = versionFourWithStudy(3);
    const note = 'adapter google swiftshader: SwiftShader driver 5.0.0 (software); forced by TUNEBENCH_BACKEND=webgpu';
    db.prepare(`INSERT INTO trial (id, study_id, number, params, state, value, seed, backend, backend_note)
       VALUES (30, 3, 0, ?, 'complete', 0.5, 1, 'webgpu', ?)`).run(JSON.stringify(sampleParams()), note);
    db.close();

    const store = await openSqliteStore(path);
    expect(await store.getTrial(30)).toMatchObject({ backend: 'webgpu', backendNote: note, adapter: null });
    await store.close();
    const check = new Database(path);
    expect(schemaVersion(check)).toBe(6);
    expect(() => check.prepare(`UPDATE trial SET adapter = 'not json' WHERE id = 30`).run()).toThrow(/CHECK constraint/);
    check.close();
  });

  it('upgrades a version-4 database with trials to 5 and on: the history index is built over the rows already there', async () => {
    const { path, db } = versionFourWithStudy(4);
    const insertTrial = db.prepare(`INSERT INTO trial (study_id, number, params, state, value, seed) VALUES (4, ?, ?, ?, ?, 1)`);
    const params = JSON.stringify(sampleParams());
    for (let number = 0; number < 300; number++) insertTrial.run(number, params, number % 7 === 0 ? 'failed' : 'complete', number % 7 === 0 ? null : 1 / (number + 1));
    db.close();

    const store = await openSqliteStore(path);
    const history = await store.historyColumns(4);
    expect(history.numbers).toEqual(Array.from({ length: 300 }, (_, number) => number));
    expect(history.values[299]).toBe(1 / 300);
    expect(history.states.filter((state) => state === 'failed')).toHaveLength(43);
    expect((await store.historyRows(4, 'best', [5, 299])).map((row) => [row.number, row.value, row.params.optimizer])).toEqual([
      [5, 1 / 6, 'adam'],
      [299, 1 / 300, 'adam'],
    ]);
    await store.close();
    const check = new Database(path, { readonly: true });
    expect(schemaVersion(check)).toBe(6);
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'trial_study_history'").all()).toEqual([{ name: 'trial_study_history' }]);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });

  it('refuses a database newer than the app and leaves it untouched', async () => {
    const path = temp.file();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    await expect(openSqliteStore(path)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/schema version 99 .* up to 6/),
    });
    const after = new Database(path);
    expect([schemaVersion(after), tables(after)]).toEqual([99, []]);
    after.close();
  });

  it('rolls a failing migration back whole, then applies it once fixed', () => {
    const db = new Database(temp.file());
    const broken = `CREATE TABLE extra (id INTEGER PRIMARY KEY);
      ALTER TABLE trial ADD COLUMN extra_id INTEGER;
      INSERT INTO no_such_table VALUES (1);`;
    expect(() => migrate(db, readMigrations(migrationsDir(2, { '0003-extra.sql': broken })))).toThrow(/no_such_table/);
    expect(schemaVersion(db)).toBe(2);
    expect(tables(db).map((t) => t.name)).not.toContain('extra');
    const fixed = broken.replace('INSERT INTO no_such_table VALUES (1);', '');
    expect(migrate(db, readMigrations(migrationsDir(2, { '0003-extra.sql': fixed })))).toEqual({
      from: 2,
      to: 3,
      applied: [3],
    });
    expect(tables(db).map((t) => t.name)).toContain('extra');
    db.close();
  });

  it('refuses a migration that breaks a foreign key', () => {
    const db = new Database(temp.file());
    migrate(db, readMigrations(migrationsDir(2)));
    const orphan = `INSERT INTO trial (study_id, number, params, state, seed) VALUES (42, 0, '{}', 'queued', 1);`;
    expect(() => migrate(db, readMigrations(migrationsDir(2, { '0003-orphan.sql': orphan })))).toThrow(/foreign keys/);
    expect(schemaVersion(db)).toBe(2);
    db.close();
  });
});
