import { readMigrations, refuseNewer } from './migrate.js';
import { appPath } from '../paths.js';
import { TunebenchError } from '../api/errors.js';
import pg from 'pg';

// The PostgreSQL store's connection: why `pg` over postgres.js — it is the long-standing driver
// with a plain client/pool we drive ourselves (explicit BEGIN/COMMIT per Store call, FOR UPDATE
// SKIP LOCKED claims, a listener for a dying server), with maintained types (@types/pg) and no
// tagged-template query builder, so the SQL stays plain text beside the SQLite statements.

export { isPostgresUrl } from './postgresUrl.js';

/** The URL without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'the PostgreSQL server';
  }
}

const int8 = 20;
/** bigint columns hold epoch milliseconds and ids, well inside a double's exact range. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === int8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

export function createPool(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, types, connectionTimeoutMillis: 10_000 });
  // An idle client whose server went away emits here; the next call reconnects (and retries).
  pool.on('error', () => undefined);
  return pool;
}

/** Rewrites `@name` parameters to `$n` so the SQL reads like the SQLite store's. */
export function named(text: string, bindings: Record<string, unknown>): { text: string; values: unknown[] } {
  const order: string[] = [];
  const rewritten = text.replace(/@([A-Za-z_]\w*)/g, (_, name: string) => {
    if (!(name in bindings)) throw new TunebenchError('INTERNAL', `no binding for @${name}`);
    let index = order.indexOf(name);
    if (index < 0) index = order.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text: rewritten, values: order.map((name) => bindings[name]) };
}

/** Errors worth another try: the server or the network went away, or a deadlock/serialization abort. */
export function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    const message = error instanceof Error ? error.message : '';
    return /Connection terminated|connection timeout|not queryable|Client has encountered a connection error/i.test(message);
  }
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'].includes(code) ||
    code.startsWith('08') || // connection exception
    ['57P01', '57P02', '57P03', '40001', '40P01'].includes(code) // shutdown, starting up, serialization, deadlock
  );
}

/** A pg error as the TunebenchError a user can act on; anything else unchanged. */
export function toPgStoreError(error: unknown, url: string): unknown {
  if (error instanceof TunebenchError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const where = [{ where: describeUrl(url), message }];
  let mapped: TunebenchError | null = null;
  if (isRetryable(error)) {
    mapped = new TunebenchError('STORE_IO', `the database server ${describeUrl(url)} cannot be reached (${message}); nothing half-written was kept: start it or fix the network, then resume`, where);
  } else if (code === '28P01' || code === '28000' || code === '3D000') {
    mapped = new TunebenchError('ARGUMENT_INVALID', `cannot open ${describeUrl(url)}: ${message}`, [{ where: '--db', message }]);
  } else if (code === '53100' || code === '53200') {
    mapped = new TunebenchError('STORE_IO', `the database server ${describeUrl(url)} is out of space or memory (${message}): the write was rolled back`, where);
  } else if (code === '23505') {
    mapped = new TunebenchError('CONFLICT', message, where);
  } else if (code === '40P01' || code === '55P03') {
    mapped = new TunebenchError('STORE_LOCKED', `the database ${describeUrl(url)} is busy (${message}); try again`, where);
  }
  if (mapped) mapped.cause = error;
  return mapped ?? error;
}

const migrationLock = 0x74756e65; // 'tune': one migrator at a time across processes

/** Brings the database to the last migration in migrations/postgres, each step in one transaction. */
export async function migratePostgres(pool: pg.Pool, url: string): Promise<number> {
  const migrations = readMigrations(appPath('migrations', 'postgres'));
  const latest = migrations.at(-1)?.version ?? 0;
  const client = await pool.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS tunebench_schema (version INTEGER NOT NULL)');
    for (const m of migrations) {
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLock]);
        const found = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM tunebench_schema');
        const version = found.rows[0]?.v ?? 0;
        refuseNewer(version, latest, describeUrl(url));
        if (version < m.version) {
          await client.query(m.sql);
          await client.query('INSERT INTO tunebench_schema (version) VALUES ($1)', [m.version]);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    }
    return latest;
  } finally {
    client.release();
  }
}
