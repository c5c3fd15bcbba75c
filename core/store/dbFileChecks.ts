import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { TunebenchError } from '../api/errors.js';

// What openDatabase checks before it writes a byte: the path is a file we may use, the file is
// empty or recognisably Tunebench's, a -wal beside it belongs to it, and its pages are sound.

/** Tables every Tunebench schema has had since migration 0001. */
const ourTables = ['study', 'trial', 'trial_metric', 'dataset'];
/** Above this, a read-only open skips quick_check (it reads every page) and checks the schema only. */
export const readCheckLimitBytes = 64 * 1024 * 1024;
/** A -wal is compared with the main file only up to this size (the main file is read into memory). */
const walCompareLimitBytes = 256 * 1024 * 1024;

function pathError(path: string, message: string): TunebenchError {
  return new TunebenchError('ARGUMENT_INVALID', message, [{ where: path, message }]);
}

function errnoCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

/**
 * Refuses a path that cannot hold the database, naming it and saying what to do: a folder, a
 * missing folder on a read-only open, a folder that cannot be created or written.
 */
export function checkDatabasePath(path: string, isReadOnly: boolean): void {
  if (path === ':memory:') return;
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw pathError(path, `${path} is a folder; --db takes a database file, e.g. ${path}/tunebench.db`);
  }
  if (isReadOnly) {
    if (!existsSync(path)) throw pathError(path, `there is no database at ${path}; check --db (or TUNEBENCH_HOME)`);
    return;
  }
  const folder = dirname(path);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw pathError(path, `cannot create the folder ${folder} for the database (${errnoCode(error)}); choose a writable place with --db or TUNEBENCH_HOME`);
  }
}

/** A refusal of a file that is damaged, with the way out: a copy, and the read-only open. */
export function damagedError(path: string, detail: string): TunebenchError {
  return new TunebenchError(
    'STORE_CORRUPT',
    `${path} is damaged (${detail}); nothing was written to it. Keep a copy first (cp "${path}" "${path}.bak"), ` +
      'then read what is left with --read-only, or restore a backup',
    [{ where: path, message: detail }],
  );
}

/**
 * Only an empty file or one that is recognisably ours gets a schema: another application's
 * database (tables of its own, or a user_version without our tables) is refused untouched.
 */
export function checkOwnership(db: Database.Database, path: string): void {
  const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all().map((row) => row.name);
  const version = db.pragma('user_version', { simple: true }) as number;
  if (tables.length === 0 && version === 0) return; // empty: ours to create
  const missing = ourTables.filter((name) => !tables.includes(name));
  if (missing.length === 0 && version > 0) return;
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', ...' : '');
  throw pathError(
    path,
    `${path} is not a Tunebench database (it holds ${tables.length > 0 ? `tables ${shown}` : `no tables but user_version ${version}`}); ` +
      'it was left untouched. Pass a new file or a Tunebench database with --db',
  );
}

/**
 * Page checks, scaled to the file: a write open runs integrity_check (it also compares indexes
 * with their tables, which quick_check skips) up to 64 MiB and quick_check above; a read open
 * runs quick_check up to 64 MiB and reads the schema only above.
 */
export function checkPages(db: Database.Database, path: string, isReadOnly: boolean): void {
  const isSmall = path === ':memory:' || statSync(path).size <= readCheckLimitBytes;
  if (isReadOnly && !isSmall) {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return;
  }
  const check = isSmall && !isReadOnly ? 'integrity_check' : 'quick_check';
  const rows = db.pragma(`${check}(5)`) as Record<string, string>[];
  const result = rows.map((row) => Object.values(row)[0]);
  if (result.length !== 1 || result[0] !== 'ok') throw damagedError(path, `${check}: ${result.join('; ')}`);
}

interface StudyMark {
  id: number;
  created_at: number;
}

function studyMarks(db: Database.Database): { marks: Map<number, number>; sequence: number } {
  const marks = new Map(db.prepare<[], StudyMark>('SELECT id, created_at FROM study').all().map((row) => [row.id, row.created_at]));
  const sequence = db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'study'").get()?.seq ?? 0;
  return { marks, sequence };
}

/**
 * A -wal found beside the file is replayed by SQLite without asking whether it belongs to it.
 * Ours only ever adds later transactions: study ids (AUTOINCREMENT) never go back and a study
 * that stays keeps its creation time. A -wal that rewrites either is someone else's: refused.
 */
export function checkStrayWal(db: Database.Database, path: string): void {
  const walPath = `${path}-wal`;
  if (path === ':memory:' || !existsSync(walPath) || statSync(walPath).size === 0) return;
  if (statSync(path).size > walCompareLimitBytes) return;
  const mainBytes = readFileSync(path);
  if (mainBytes.length < 100) return;
  mainBytes[18] = 1; // read the main file alone, as a rollback-journal database
  mainBytes[19] = 1;
  let mainOnly: Database.Database | null = null;
  let before: ReturnType<typeof studyMarks>;
  try {
    mainOnly = new Database(mainBytes);
    if (!mainOnly.prepare("SELECT 1 FROM sqlite_master WHERE name = 'study'").get()) return;
    before = studyMarks(mainOnly);
  } catch {
    return; // the main file alone is unreadable: quick_check on the combined view will judge
  } finally {
    mainOnly?.close();
  }
  const after = studyMarks(db);
  const rewritten = [...before.marks].filter(([id, createdAt]) => after.marks.has(id) && after.marks.get(id) !== createdAt);
  if (after.sequence < before.sequence || rewritten.length > 0) {
    throw new TunebenchError(
      'STORE_CORRUPT',
      `${walPath} does not belong to ${path} (it would replace studies ${rewritten.map(([id]) => id).join(', ') || 'recorded in the file'}); ` +
        `nothing was written. Move ${walPath} aside (it may belong to another copy of the database) and open again`,
      [{ where: walPath, message: 'write-ahead log of another database' }],
    );
  }
}
