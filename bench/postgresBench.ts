// `npm run bench -- postgres`: the shared PostgreSQL store beside the SQLite pool on this box:
// trials per minute of a short iris sweep with 1, 2 and 4 slots, and the claim latency per trial.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { StudySpecInput } from '../core/api/spec.js';
import { createForkSpawner } from '../core/engine/forkSpawner.js';
import { runQueuedStudy } from '../core/engine/queueOwner.js';
import { createTunebenchService } from '../core/engine/service.js';
import { openPostgresStore, type PostgresStore } from '../core/store/postgresStore.js';
import { claimTrial, queueTrial } from '../core/store/postgresWork.js';
import { startTempPostgres } from '../tests/support/postgres.js';
import { shortTrialsSpec, timePool } from './engineBench.js';

type Row = { figure: string; value: string; target: string; ok: boolean | null };

async function freshStore(baseUrl: string, name: string): Promise<PostgresStore> {
  const admin = await openPostgresStore(baseUrl);
  await admin.session.pool.query(`CREATE DATABASE ${name}`);
  await admin.close();
  return openPostgresStore(baseUrl.replace(/\/postgres$/, `/${name}`));
}

async function timeQueued(store: PostgresStore, input: StudySpecInput, slots: number): Promise<number> {
  const service = createTunebenchService({ store, workDir: process.cwd() });
  const study = await service.studies.create({ spec: input as Record<string, unknown>, start: false });
  const started = performance.now();
  const owner = { ownerId: randomUUID(), host: hostname(), pid: process.pid };
  const outcome = await runQueuedStudy({ store, spawner: createForkSpawner(), study, owner, slots, baseDir: process.cwd() });
  if (outcome.status !== 'done') throw new Error(`postgres bench sweep ended ${outcome.status}: ${outcome.reason}`);
  return performance.now() - started;
}

export async function postgresBench(log: (text: string) => void, trials = 16): Promise<Row[]> {
  const server = await startTempPostgres();
  const rows: Row[] = [];
  try {
    const spec = shortTrialsSpec(trials, { epochs: 10 });
    for (const slots of [1, 2, 4]) {
      const store = await freshStore(server.url, `bench_${slots}`);
      const pgMs = await timeQueued(store, spec, slots);
      await store.close();
      const sqliteMs = (await timePool(spec, slots)).ms;
      const perMinute = (ms: number) => (trials / (ms / 60_000)).toFixed(1);
      log(`${slots} slot(s): postgres ${pgMs.toFixed(0)} ms, sqlite pool ${sqliteMs.toFixed(0)} ms`);
      rows.push({ figure: `${trials} iris trials/min, ${slots} worker slot(s): PostgreSQL queue vs SQLite pool`, value: `${perMinute(pgMs)} vs ${perMinute(sqliteMs)}`, target: 'report', ok: null });
    }
    rows.push(await claimLatency(server.url));
  } finally {
    server.stop();
  }
  return rows;
}

/** Median and p95 of claimTrial over 200 queued trials on a loopback server. */
export async function claimLatency(baseUrl: string): Promise<Row> {
  const store = await freshStore(baseUrl, 'bench_claims');
  const service = createTunebenchService({ store, workDir: process.cwd() });
  const study = await service.studies.create({ spec: shortTrialsSpec(4) as Record<string, unknown>, start: false });
  const params = { optimizer: 'adam' as const, learningRate: 0.01, batchSize: 16, lrSchedule: 'constant' as const };
  await store.setStudyStatus(study.id, 'running');
  for (let i = 0; i < 200; i++) await queueTrial(store, study.id, params, i);
  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    if (!(await claimTrial(store, 'bench', Date.now(), study.id))) throw new Error('claim found nothing');
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.floor(q * (latencies.length - 1))]!.toFixed(2);
  const row = { figure: 'claim latency per trial (200 claims, loopback server): median / p95', value: `${at(0.5)} / ${at(0.95)} ms`, target: 'report', ok: null };
  await store.close();
  return row;
}
