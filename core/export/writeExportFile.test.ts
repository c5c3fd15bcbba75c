import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqliteStore.js';
import { createFixtureStudy } from '../../tests/support/export.js';
import { runCli } from '../../tests/support/cli.js';
import { writeExportFile } from './writeExportFile.js';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('writeExportFile', () => {
  const dbPath = join(dir, 'unit.db');
  writeFileSync(dbPath, 'database bytes');

  it('refuses the database, its WAL, a link to it and a symlink to it, and leaves them untouched', () => {
    const before = sha(dbPath);
    writeFileSync(`${dbPath}-wal`, 'wal');
    linkSync(dbPath, join(dir, 'hard-link.db'));
    symlinkSync(dbPath, join(dir, 'soft-link.db'));
    for (const path of [dbPath, `${dbPath}-wal`, join(dir, 'hard-link.db'), join(dir, 'soft-link.db'), join(dir, '.', 'unit.db')]) {
      expect(() => writeExportFile(path, 'x', { dbPath, isForced: true })).toThrow(/is the database/);
    }
    expect(sha(dbPath)).toBe(before);
    expect(readFileSync(`${dbPath}-wal`, 'utf8')).toBe('wal');
  });

  it('asks for force before replacing a file, then replaces it whole', () => {
    const out = join(dir, 'best.json');
    writeFileSync(out, 'old');
    expect(() => writeExportFile(out, 'new', { dbPath })).toThrow(/exists already: pass --force/);
    expect(readFileSync(out, 'utf8')).toBe('old');
    writeExportFile(out, 'new', { dbPath, isForced: true });
    expect(readFileSync(out, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('names the path of a missing folder or a folder given as the file', () => {
    expect(() => writeExportFile(join(dir, 'nope', 'x.json'), 'x', { dbPath })).toThrow(/nope.*does not exist/);
    mkdirSync(join(dir, 'folder'));
    expect(() => writeExportFile(join(dir, 'folder'), 'x', { dbPath, isForced: true })).toThrow(/is a folder/);
  });
});

describe('tunebench export --out', () => {
  it('exits 2 for the open database and for an existing file without --force, and writes with it', async () => {
    const db = join(dir, 'cli.db');
    const store = await openSqliteStore(db);
    await createFixtureStudy(store, { name: 'out-study', direction: 'maximize', trials: [{ params: {}, value: 0.9 }] });
    await store.close();
    const before = sha(db);
    const ontoDb = runCli(['export', 'out-study', '--db', db, '--out', db, '--force']);
    expect(ontoDb.status).toBe(2);
    expect(ontoDb.stderr).toContain('is the database');
    expect(sha(db)).toBe(before);

    const out = join(dir, 'out.json');
    writeFileSync(out, 'keep me');
    const existing = runCli(['export', 'out-study', '--db', db, '--out', out]);
    expect(existing.status).toBe(2);
    expect(existing.stderr).toContain('--force');
    expect(readFileSync(out, 'utf8')).toBe('keep me');

    const forced = runCli(['export', 'out-study', '--db', db, '--out', out, '--force']);
    expect(forced.status).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).trials[0].value).toBe(0.9);
  }, 60_000);
});
