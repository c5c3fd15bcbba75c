import { describe, expect, it } from 'vitest';
import { createFixtureStudy } from '../../tests/support/engine.js';
import { usePgWorkerProcesses } from '../../tests/support/pgWorkerProcesses.js';
import { useTempPostgres } from '../../tests/support/postgresStores.js';
import type { PostgresStore } from '../store/postgresStore.js';
import { queueTrial } from '../store/postgresWork.js';

const pg = useTempPostgres();
const startWorker = usePgWorkerProcesses();

const claimedIds = (lines: readonly string[]) => lines.flatMap((line) => /^claimed trial (\d+)/.exec(line)?.[1] ?? []).map(Number);

async function queueStudy(store: PostgresStore, trials: number, learningRate: number) {
  const study = await createFixtureStudy(store, { space: { optimizer: 'adam', learningRate, batchSize: 8 }, limits: { maxRetries: 1 } });
  for (let i = 0; i < trials; i++) await queueTrial(store, study.id, { optimizer: 'adam', learningRate, batchSize: 8, lrSchedule: 'constant' }, i);
  return study;
}

async function until(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('tunebench worker processes on one PostgreSQL study', () => {
  it('three workers finish 40 queued trials, none run twice; a worker killed -9 mid-trial has its trial re-queued once', async () => {
    const store = await pg.open();
    const study = await queueStudy(store, 40, 0.4); // 'slow': 200 ms per epoch, 3 epochs
    const url = store.session.url;
    const workers = [startWorker(url, study.id), startWorker(url, study.id), startWorker(url, study.id)];
    const victim = workers[0]!;
    await until(() => claimedIds(victim.lines).length >= 2, 60_000);
    const killedTrial = claimedIds(victim.lines).at(-1)!;
    process.kill(-victim.proc.pid!, 'SIGKILL');
    const codes = await Promise.all(workers.slice(1).map((w) => w.exited));
    expect(codes, workers.map((w) => w.stderr()).join('\n')).toEqual([0, 0]);

    const all = workers.flatMap((w) => claimedIds(w.lines));
    expect(new Set(all).size).toBe(all.length); // no trial id claimed twice
    const { rows } = await store.listTrials(study.id, { limit: 1000 });
    expect(rows.find((t) => t.id === killedTrial)).toMatchObject({ state: 'failed', errorCode: 'STALE' });
    const retry = rows.filter((t) => t.retryOf === killedTrial);
    expect(retry).toHaveLength(1);
    expect(retry[0]).toMatchObject({ state: 'complete', retries: 1 });
    expect(rows.filter((t) => t.state === 'complete')).toHaveLength(40);
    expect(rows).toHaveLength(41);
    expect((await store.summarizeStudy(study.id)).counts).toMatchObject({ complete: 40, failed: 0, queued: 0, running: 0 });
    await store.close();
  }, 180_000);
});
