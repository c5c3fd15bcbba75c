import type pg from 'pg';
import { TunebenchError } from '../api/errors.js';
import { isRetryable, named, toPgStoreError } from './postgresConnection.js';

/** What a Store call body may ask of its transaction, with `@name` parameters. */
export interface Query {
  one<T>(text: string, bindings: Record<string, unknown>): Promise<T | null>;
  all<T>(text: string, bindings: Record<string, unknown>): Promise<T[]>;
  /** Runs a statement and returns how many rows it changed. */
  run(text: string, bindings: Record<string, unknown>): Promise<number>;
}

const guarded = new WeakSet<pg.PoolClient>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function queryOn(client: pg.PoolClient): Query {
  const exec = async <T extends pg.QueryResultRow>(text: string, bindings: Record<string, unknown>) => {
    const { text: sql, values } = named(text, bindings);
    return client.query<T>(sql, values);
  };
  return {
    one: async <T>(text: string, bindings: Record<string, unknown>) => ((await exec(text, bindings)).rows[0] as T | undefined) ?? null,
    all: async <T>(text: string, bindings: Record<string, unknown>) => (await exec(text, bindings)).rows as T[],
    run: async (text, bindings) => (await exec(text, bindings)).rowCount ?? 0,
  };
}

/**
 * Runs each Store call as one transaction on a pooled connection. A call that loses the server
 * (restart, network) or is chosen as a deadlock victim is run again from the start, with back-off
 * from 100 ms to 5 s, for up to `retryForMs`; then it rejects with STORE_IO. Bodies get the attempt
 * number so a write whose commit may have landed before the connection dropped can tell.
 */
export class PgSession {
  private closed = false;

  constructor(
    readonly pool: pg.Pool,
    readonly url: string,
    private readonly retryForMs: number,
  ) {}

  read<T>(body: (q: Query, attempt: number) => Promise<T>): Promise<T> {
    return this.run(body, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', false);
  }

  write<T>(body: (q: Query, attempt: number) => Promise<T>): Promise<T> {
    return this.run(body, 'BEGIN', true);
  }

  private async run<T>(body: (q: Query, attempt: number) => Promise<T>, begin: string, isWrite: boolean): Promise<T> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new TunebenchError('INTERNAL', 'the store is closed');
      let client: pg.PoolClient | null = null;
      try {
        client = await this.pool.connect();
        if (!guarded.has(client)) {
          // A checked-out client whose server dies emits 'error'; unheard, it would end the process.
          client.on('error', () => undefined);
          guarded.add(client);
        }
        await client.query(begin);
        const result = await body(queryOn(client), attempt);
        await client.query('COMMIT');
        // After the commit, so a reader that sees the mark move also sees the rows.
        if (isWrite) await client.query("SELECT nextval('change_mark')").catch(() => undefined);
        client.release();
        return result;
      } catch (error) {
        const retry = isRetryable(error);
        if (client) {
          if (!retry) await client.query('ROLLBACK').catch(() => undefined);
          client.release(retry ? (error as Error) : undefined); // a broken connection is dropped
        }
        if (!retry || this.closed || Date.now() - started > this.retryForMs) throw toPgStoreError(error, this.url);
        await sleep(Math.min(5_000, 100 * 2 ** Math.min(attempt, 6)));
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
