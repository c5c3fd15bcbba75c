import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresStore, type PostgresStoreOptions } from '../../core/store/postgresStore.js';
import { startTempPostgres, type TempPostgres } from './postgres.js';

/**
 * One temporary PostgreSQL server per test file; `url()` names a fresh empty database on it, so
 * each test gets a store of its own. A file that cannot start the server fails in beforeAll with
 * the reason (never skips).
 */
export function useTempPostgres(): { server: () => TempPostgres; url: () => Promise<string>; open: (opts?: PostgresStoreOptions) => Promise<ReturnType<typeof openPostgresStore> extends Promise<infer S> ? S : never> } {
  let server: TempPostgres | null = null;
  let count = 0;
  beforeAll(async () => {
    server = await startTempPostgres();
  }, 120_000);
  afterAll(() => server?.stop());
  const current = () => {
    if (!server) throw new Error('useTempPostgres: the server did not start (see the beforeAll error)');
    return server;
  };
  const url = async () => {
    const name = `tb${process.pid}_${count++}`;
    const admin = new pg.Client({ connectionString: current().url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    return current().url.replace(/\/postgres$/, `/${name}`);
  };
  return { server: current, url, open: async (opts = {}) => openPostgresStore(await url(), opts) };
}
