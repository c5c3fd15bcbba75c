import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TunebenchError } from '../api/errors.js';
import { defaultDbPath } from '../paths.js';
import { isPostgresUrl } from '../store/postgresUrl.js';
import type { TunebenchService } from '../engine/service.js';
import type { Store } from '../store/store.js';

export interface GlobalOptions {
  db?: string;
  json?: boolean;
  verbose?: boolean;
  /** Open the database without writing and without the damage check (a read-only or damaged file). */
  readOnly?: boolean;
}

/** Commands that only read open the database read-only, so they work on a read-only file. */
export type DatabaseAccess = 'read' | 'write';

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function openStore(path: string, options: GlobalOptions, access: DatabaseAccess): Promise<Store> {
  const { openSqliteStore } = await import('../store/sqliteStore.js');
  if (options.readOnly) {
    process.stderr.write(`note: ${path} opened read-only, without the damage check\n`);
    return openSqliteStore(path, { readOnly: true, quickCheck: false });
  }
  if (access === 'write' || !existsSync(path)) return openSqliteStore(path);
  try {
    return await openSqliteStore(path, { readOnly: true });
  } catch (error) {
    // An older schema needs one writing open to be upgraded; a read-only file keeps the error.
    if (error instanceof TunebenchError && error.code === 'CONFLICT' && isWritable(path)) return openSqliteStore(path);
    throw error;
  }
}

/** --db, else TUNEBENCH_DB, else the default file: a file path (resolved) or a postgres:// URL. */
export function databaseTarget(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string {
  const given = options.db ?? env.TUNEBENCH_DB;
  if (isPostgresUrl(given)) return given;
  return given ? resolve(given) : defaultDbPath();
}

/** The shared PostgreSQL store; imported on demand so file users never load the driver. */
async function openPostgres(url: string): Promise<Store> {
  const { openPostgresStore } = await import('../store/postgresStore.js');
  return openPostgresStore(url);
}

/** Opens the database (--db, TUNEBENCH_DB (a file or postgres:// URL), else TUNEBENCH_HOME or the user's data folder) and the service. */
export async function openService(options: GlobalOptions, access: DatabaseAccess = 'write', extra: { followMs?: number; warmWorkers?: { idleMs: number } } = {}): Promise<TunebenchService> {
  const target = databaseTarget(options);
  const path = isPostgresUrl(target) ? defaultDbPath() : target;
  const store = isPostgresUrl(target) ? await openPostgres(target) : await openStore(path, options, access);
  // Imported here, not at the top: `--help` and argument errors should not load the engine.
  const { createTunebenchService } = await import('../engine/service.js');
  // CSVs are kept by content beside the database (a server's users keep theirs in the data folder), so a database and its data travel together.
  return createTunebenchService({ store, workDir: process.cwd(), datasetsDir: join(dirname(path), 'datasets'), ...extra });
}

export async function withService<T>(
  options: GlobalOptions,
  body: (service: TunebenchService) => Promise<T>,
  access: DatabaseAccess = 'write',
): Promise<T> {
  const service = await openService(options, access);
  try {
    return await body(service);
  } finally {
    await service.close();
  }
}
