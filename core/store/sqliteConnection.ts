import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { TunebenchError } from '../api/errors.js';
import { checkDatabasePath, checkOwnership, checkPages, checkStrayWal, damagedError } from './dbFileChecks.js';
import { migrate, readMigrations, refuseNewer, schemaVersion } from './migrate.js';
import { openReadOnlyDatabase } from './readOnlyOpen.js';
import { toStoreError } from './sqliteErrors.js';

export interface SqliteStoreOptions {
  /** How long a write waits for another writer before failing with STORE_LOCKED. Default 5000. */
  busyTimeoutMs?: number;
  /** Where the NNNN-name.sql files are; default `migrations/` beside package.json. */
  migrationsDir?: string;
  /**
   * Page checks at open, refusing a damaged file (see checkPages: integrity_check or quick_check
   * by size and mode). false skips them.
   */
  quickCheck?: boolean;
  /** Open without writing anything (no schema, no WAL switch): for reading commands and damaged files. */
  readOnly?: boolean;
  /** Clock for study and dataset timestamps (epoch ms). */
  now?: () => number;
}

/**
 * Opens (creating it and its folder if needed), configures and migrates the database at `path`.
 * Before a byte is written, a readonly look refuses: a folder or unwritable place
 * (ARGUMENT_INVALID naming it), another application's database (ARGUMENT_INVALID, file left
 * byte-identical), a -wal that belongs to another database or damaged pages (STORE_CORRUPT,
 * offering a copy and --read-only). Also throws STORE_CORRUPT for a file that is not a database,
 * STORE_LOCKED when another writer holds it past the busy timeout, CONFLICT when its schema is
 * newer than this app. With `readOnly` nothing is created or migrated. On failure nothing stays open.
 */
export function openDatabase(path: string, opts: SqliteStoreOptions = {}): Database.Database {
  const isReadOnly = Boolean(opts.readOnly);
  let db: Database.Database | null = null;
  try {
    checkDatabasePath(path, isReadOnly);
    const migrations = readMigrations(opts.migrationsDir);
    const latest = migrations.at(-1)?.version ?? 0;
    if (path !== ':memory:' && existsSync(path) && statSync(path).size > 0) inspectExisting(path, opts, isReadOnly, latest);
    db = isReadOnly && path !== ':memory:' ? openReadOnlyDatabase(path, opts.busyTimeoutMs ?? 5000) : new Database(path, { timeout: opts.busyTimeoutMs ?? 5000, readonly: isReadOnly });
    if (isReadOnly) {
      checkReadOnlySchema(db, path, latest);
      db.pragma('cache_size = -32768');
      return db;
    }
    db.pragma('journal_mode = WAL'); // the first read of the file: a non-database fails here
    db.pragma('synchronous = FULL'); // every commit is fsynced: a finished trial is never lost
    db.pragma('foreign_keys = ON');
    // Reads are short (no open iterators), so checkpoints can reset the WAL; this caps what stays.
    db.pragma('journal_size_limit = 16777216');
    // Up to 32 MiB of pages (default 2): ranking 10k trials by a curve's value seeks 10k times.
    db.pragma('cache_size = -32768');
    migrate(db, migrations, path);
    return db;
  } catch (error) {
    db?.close();
    throw toStoreError(error, path);
  }
}

/** The checks run on a readonly connection, so a refused file (and a stray -wal) stays as it was. */
function inspectExisting(path: string, opts: SqliteStoreOptions, isReadOnly: boolean, latest: number): void {
  const probe = openReadOnlyDatabase(path, opts.busyTimeoutMs ?? 5000);
  try {
    refuseNewer(schemaVersion(probe), latest, path);
    checkOwnership(probe, path);
    checkStrayWal(probe, path);
    if (opts.quickCheck !== false) checkPages(probe, path, isReadOnly);
  } catch (error) {
    // A check that trips over a damaged page is itself the finding.
    if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_CORRUPT')) throw damagedError(path, error.message);
    throw error;
  } finally {
    probe.close();
  }
}

function checkReadOnlySchema(db: Database.Database, path: string, latest: number): void {
  const version = schemaVersion(db);
  refuseNewer(version, latest, path);
  if (version === latest) return;
  const message = `${path} has schema version ${version} (this Tunebench writes ${latest}); open it once without --read-only to upgrade it`;
  throw new TunebenchError('CONFLICT', message, [{ where: path, message: `schema version ${version}` }]);
}
