import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { TunebenchError } from '../api/errors.js';
import type { StudySpec } from '../api/spec.js';
import { isPostgresUrl } from '../store/postgresUrl.js';
import type { Store } from '../store/store.js';
import { databaseTarget, type GlobalOptions } from './context.js';
import { exitCode } from './exitCodes.js';

// `tunebench worker` and `sweep` on a shared PostgreSQL store (see core/engine/remoteWorker.ts
// for the flow across machines). Modules load on demand: --help stays fast.

export interface WorkerCommandOptions extends GlobalOptions {
  study?: string;
  slots?: number;
  exitWhenIdle?: boolean;
  staleAfter?: number;
  cacheDir?: string;
}

function requirePostgres(options: GlobalOptions): string {
  const target = databaseTarget(options);
  if (!isPostgresUrl(target)) {
    throw new TunebenchError('ARGUMENT_INVALID', 'tunebench worker trains trials of a shared PostgreSQL store: give --db postgres://user@host/db (or TUNEBENCH_DB)', [
      { where: '--db', message: `not a postgres:// URL: ${target}` },
    ]);
  }
  return target;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const url = requirePostgres(options);
  const { openPostgresStore } = await import('../store/postgresStore.js');
  const { runRemoteWorker } = await import('../engine/remoteWorker.js');
  const { createForkSpawner } = await import('../engine/forkSpawner.js');
  const store = await openPostgresStore(url);
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  try {
    const studyId = options.study === undefined ? null : (await store.getStudy(options.study)).id;
    const { trialsRun } = await runRemoteWorker({
      store, spawner: createForkSpawner(), studyId, slots: options.slots ?? 1, baseDir: process.cwd(),
      exitWhenIdle: options.exitWhenIdle === true, log, signal: stop.signal,
      ...(options.cacheDir === undefined ? {} : { cacheDir: resolve(options.cacheDir) }),
      ...(options.staleAfter === undefined ? {} : { staleAfterMs: options.staleAfter * 1000 }),
    });
    log(`worker stopped after ${trialsRun} trials`);
    return stop.signal.aborted ? exitCode.interrupted : exitCode.ok;
  } finally {
    await store.close();
  }
}

/** `sweep --db postgres://...`: the study's owner (it asks) plus one worker with `workers` slots. */
export async function queuedSweep(spec: StudySpec, options: GlobalOptions & { workers?: number; name?: string }): Promise<number> {
  const url = requirePostgres(options);
  const { openPostgresStore } = await import('../store/postgresStore.js');
  const { createTunebenchService } = await import('../engine/service.js');
  const { runQueuedStudy } = await import('../engine/queueOwner.js');
  const { createForkSpawner } = await import('../engine/forkSpawner.js');
  const store = await openPostgresStore(url);
  const service = createTunebenchService({ store, workDir: process.cwd() });
  try {
    const study = await service.studies.create({ spec, name: options.name, start: false });
    const { hasDatasetBlob, datasetBlobCapBytes } = await import('../store/postgresDatasets.js');
    if (typeof study.spec.dataset !== 'string' && !(await store.session.read((q) => hasDatasetBlob(q, study.datasetFingerprint)))) {
      log(`note: ${study.spec.dataset.csv} is over the ${datasetBlobCapBytes / 2 ** 20} MB the database keeps for other machines; their workers need it at that path`);
    }
    log(`study ${study.name} (id ${study.id}) queued on ${url.replace(/:[^:@/]*@/, '@')}; other machines join with: tunebench worker --db <url> --study ${study.name}`);
    const owner = { ownerId: randomUUID(), host: hostname(), pid: process.pid };
    const outcome = await runQueuedStudy({ store, spawner: createForkSpawner(), study, owner, slots: options.workers ?? spec.workers ?? 1, baseDir: process.cwd(), log });
    const summary = await store.summarizeStudy(study.id);
    log(`${study.name}: ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''}; ${summary.counts.complete} complete, best ${summary.bestValue ?? '-'} (trial ${summary.bestTrialNumber ?? '-'})`);
    if (options.json) process.stdout.write(JSON.stringify(summary) + '\n');
    if (outcome.status === 'done') return exitCode.ok;
    return outcome.status === 'failed' ? exitCode.failure : exitCode.interrupted;
  } finally {
    await service.close();
  }
}

/** A file path (resolved, opened writable) or a postgres:// URL. */
async function openStoreAt(target: string): Promise<Store> {
  if (isPostgresUrl(target)) return (await import('../store/postgresStore.js')).openPostgresStore(target);
  return (await import('../store/sqliteStore.js')).openSqliteStore(resolve(target));
}

/** `copy --from A --to B [--study NAME...]`: studies between stores, either way. */
export async function copyCommand(options: { from: string; to: string; study?: string[] }): Promise<number> {
  const { copyStudies } = await import('../store/copyStudies.js');
  const from = await openStoreAt(options.from);
  try {
    const to = await openStoreAt(options.to);
    try {
      // A study coming home from a server brings its CSV beside the file, as a sweep keeps it there.
      const datasetsDir = isPostgresUrl(options.to) ? undefined : join(dirname(resolve(options.to)), 'datasets');
      const copied = await copyStudies(from, to, options.study, datasetsDir ? { datasetsDir } : {});
      for (const study of copied) log(`copied ${study.name} (id ${study.id} in ${isPostgresUrl(options.to) ? 'the server' : options.to})`);
      if (copied.length === 0) log('nothing to copy: the source has no studies');
      return exitCode.ok;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}

export function addWorkerCommands(
  program: Command,
  withGlobals: (command: Command) => Command,
  positiveInt: (name: string) => (value: string) => number,
  setExit: (code: number) => void,
): void {
  withGlobals(program.command('worker'))
    .description('train queued trials of a shared PostgreSQL store (--db postgres://...) on this machine, until stopped')
    .option('--study <study>', 'only this study (name or id); default: every running study')
    .option('--slots <n>', 'trials at once on this machine', positiveInt('--slots'))
    .option('--exit-when-idle', 'stop when no trial is queued or running')
    .option('--cache-dir <dir>', 'where CSVs fetched from the database by fingerprint are kept (default: the data folder\'s dataset-cache)')
    .option('--stale-after <s>', 'seconds without a heartbeat before another worker re-queues a trial', positiveInt('--stale-after'))
    .action(async (options: WorkerCommandOptions) => {
      setExit(await workerCommand(options));
    });

  program
    .command('copy')
    .description('copy studies between stores, a database file and a postgres:// server either way (trial files stay behind)')
    .requiredOption('--from <db>', 'source: database file or postgres:// URL')
    .requiredOption('--to <db>', 'target: database file or postgres:// URL')
    .option('--study <names...>', 'only these studies (default: all)')
    .option('--verbose', 'print stack traces on errors')
    .action(async (options: { from: string; to: string; study?: string[] }) => {
      setExit(await copyCommand(options));
    });
}
