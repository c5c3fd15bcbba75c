import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { TunebenchError } from '../api/errors.js';
import { migrate, readMigrations } from './migrate.js';
import { toStoreError } from './sqliteErrors.js';

export interface SqliteStoreOptions {
  /** How long a write waits for another writer before failing with STORE_LOCKED. Default 5000. */
  busyTimeoutMs?: number;
  /** Where the NNNN-name.sql files are; default `migrations/` beside package.json. */
  migrationsDir?: string;
  /** Run PRAGMA quick_check at open and refuse a damaged file (reads the whole file: slow). */
  quickCheck?: boolean;
  /** Clock for study and dataset timestamps (epoch ms). */
  now?: () => number;
}

/**
 * Opens (creating it and its folder if needed), configures and migrates the database at `path`.
 * Throws STORE_CORRUPT for a file that is not a database or fails the quick check, STORE_LOCKED
 * when another writer holds it past the busy timeout, CONFLICT when its schema is newer than
 * this app. On failure nothing stays open.
 */
export function openDatabase(path: string, opts: SqliteStoreOptions = {}): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database | null = null;
  try {
    db = new Database(path, { timeout: opts.busyTimeoutMs ?? 5000 });
    db.pragma('journal_mode = WAL'); // the first read of the file: a non-database fails here
    db.pragma('synchronous = FULL'); // every commit is fsynced: a finished trial is never lost
    db.pragma('foreign_keys = ON');
    // Reads are short (no open iterators), so checkpoints can reset the WAL; this caps what stays.
    db.pragma('journal_size_limit = 16777216');
    // Up to 32 MiB of pages (default 2): ranking 10k trials by a curve's value seeks 10k times.
    db.pragma('cache_size = -32768');
    if (opts.quickCheck) {
      const result = db.pragma('quick_check', { simple: true });
      if (result !== 'ok') {
        throw new TunebenchError('STORE_CORRUPT', `${path} is damaged: ${String(result)}`, [
          { where: path, message: String(result) },
        ]);
      }
    }
    migrate(db, readMigrations(opts.migrationsDir), path);
    return db;
  } catch (error) {
    db?.close();
    throw toStoreError(error, path);
  }
}
