import { dirname, join, resolve } from 'node:path';
import { defaultDbPath } from '../paths.js';
import type { TunebenchService } from '../engine/service.js';

export interface GlobalOptions {
  db?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Opens the database (--db, else TUNEBENCH_HOME or the user's data folder) and the service. */
export async function openService(options: GlobalOptions, extra: { followMs?: number } = {}): Promise<TunebenchService> {
  const path = options.db ? resolve(options.db) : defaultDbPath();
  // Imported here, not at the top: `--help` and argument errors should not load the engine.
  const [{ openSqliteStore }, { createTunebenchService }] = await Promise.all([import('../store/sqliteStore.js'), import('../engine/service.js')]);
  const store = await openSqliteStore(path);
  // CSVs are kept by content beside the database, so a database and its data travel together.
  return createTunebenchService({ store, workDir: process.cwd(), datasetsDir: join(dirname(path), 'datasets'), ...extra });
}

export async function withService<T>(options: GlobalOptions, body: (service: TunebenchService) => Promise<T>): Promise<T> {
  const service = await openService(options);
  try {
    return await body(service);
  } finally {
    await service.close();
  }
}
