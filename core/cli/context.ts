import { dirname, join, resolve } from 'node:path';
import { defaultDbPath } from '../paths.js';
import type { TunebenchService } from '../engine/service.js';
import { createTunebenchService } from '../engine/service.js';
import { openSqliteStore } from '../store/sqliteStore.js';

export interface GlobalOptions {
  db?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Opens the database (--db, else TUNEBENCH_HOME or the user's data folder) and the service. */
export async function openService(options: GlobalOptions): Promise<TunebenchService> {
  const path = options.db ? resolve(options.db) : defaultDbPath();
  const store = await openSqliteStore(path);
  // CSVs are kept by content beside the database, so a database and its data travel together.
  return createTunebenchService({ store, workDir: process.cwd(), datasetsDir: join(dirname(path), 'datasets') });
}

export async function withService<T>(options: GlobalOptions, body: (service: TunebenchService) => Promise<T>): Promise<T> {
  const service = await openService(options);
  try {
    return await body(service);
  } finally {
    await service.close();
  }
}
