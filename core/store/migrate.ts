import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { TunebenchError } from '../api/errors.js';
import { appPath } from '../paths.js';

/** One numbered schema step, `migrations/NNNN-name.sql`. */
export interface Migration {
  version: number;
  name: string;
  file: string;
  sql: string;
}

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

const fileNamePattern = /^(\d{4})-([a-z0-9][a-z0-9-]*)\.sql$/;
// The runner owns the transaction and the version; a file that does either would break atomicity.
const forbiddenStatement = /^\s*(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE|VACUUM|PRAGMA\s+user_version)\b/im;

/**
 * Reads the migrations of `dir` (default: `migrations/` beside package.json), in version order.
 * Versions must run 1, 2, 3... with no gap or duplicate; a file that manages its own transaction
 * or user_version is refused. Such faults are packaging bugs: they throw INTERNAL.
 */
export function readMigrations(dir: string = appPath('migrations')): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = fileNamePattern.exec(file);
    if (!match) throw new TunebenchError('INTERNAL', `migration file ${file} is not named NNNN-name.sql`);
    const sql = readFileSync(join(dir, file), 'utf8');
    const bad = forbiddenStatement.exec(sql);
    if (bad) throw new TunebenchError('INTERNAL', `migration ${file} must not contain ${bad[1]}`);
    migrations.push({ version: Number(match[1]), name: match[2] ?? '', file, sql });
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new TunebenchError('INTERNAL', `migration ${m.file} should be version ${i + 1} (gap or duplicate)`);
    }
  });
  return migrations;
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** A database newer than the app is refused (CONFLICT), before anything is written to it. */
export function refuseNewer(version: number, latest: number, label: string): void {
  if (version <= latest) return;
  throw new TunebenchError(
    'CONFLICT',
    `${label} has schema version ${version} but this Tunebench knows only up to ${latest}; ` +
      'open it with a newer Tunebench',
    [{ where: label, message: `schema version ${version} > ${latest}` }],
  );
}

/**
 * Brings `db` up to the last of `migrations`. Each pending migration runs with its
 * `PRAGMA user_version = N` in one IMMEDIATE transaction: a crash midway leaves the previous
 * version, a rerun applies what is left, and two processes opening at once apply each step once.
 * A database newer than the app is refused (CONFLICT) and left untouched.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = readMigrations(),
  label: string = db.name,
): MigrationResult {
  const latest = migrations.at(-1)?.version ?? 0;
  const from = schemaVersion(db);
  refuseNewer(from, latest, label);
  const pending = migrations.filter((m) => m.version > from);
  const applied: number[] = [];
  if (pending.length === 0) return { from, to: from, applied };

  // Off during the steps so a table can be rebuilt (SQLite's ALTER recipe); checked before commit.
  const hadForeignKeys = db.pragma('foreign_keys', { simple: true }) === 1;
  db.pragma('foreign_keys = OFF');
  try {
    const step = db.transaction((m: Migration) => {
      if (schemaVersion(db) >= m.version) return; // another process got here first
      db.exec(m.sql);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) {
        throw new TunebenchError('INTERNAL', `migration ${m.file} leaves ${broken.length} broken foreign keys`);
      }
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    });
    for (const m of pending) step.immediate(m);
  } finally {
    if (hadForeignKeys) db.pragma('foreign_keys = ON');
  }
  return { from, to: schemaVersion(db), applied };
}
