import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect } from 'vitest';

/**
 * Temp database files for one test file. After all its tests, every file handed out must pass
 * `PRAGMA integrity_check` and `foreign_key_check`; then the folder is removed.
 */
export function useTempDatabases(): { file: (name?: string) => string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tunebench-store-'));
  const files: string[] = [];
  let count = 0;
  afterAll(() => {
    try {
      for (const path of files) expect(checkDatabase(path), path).toEqual({ integrity: 'ok', brokenKeys: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  return {
    dir,
    file: (name = `db${count++}.sqlite`) => {
      const path = join(dir, name);
      files.push(path);
      return path;
    },
  };
}

/** Runs SQLite's own checks on a (closed) database file. */
export function checkDatabase(path: string): { integrity: string; brokenKeys: number } {
  const db = new Database(path, { fileMustExist: true });
  try {
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    const brokenKeys = (db.pragma('foreign_key_check') as unknown[]).length;
    return { integrity, brokenKeys };
  } finally {
    db.close();
  }
}
