// A `tunebench worker` stand-in for the multi-process tests: the real worker loop on a shared
// PostgreSQL store, training with the scripted worker. Args: URL STUDY_ID SLOTS STALE_MS.
// Prints one line per claim (synchronously: the parent may kill it next), then `done N`.
import { writeSync } from 'node:fs';
import { runRemoteWorker } from '../../core/engine/remoteWorker.js';
import { openPostgresStore } from '../../core/store/postgresStore.js';
import { fixtureSpawner } from './engine.js';

const [url = '', studyId = '', slots = '1', staleMs = '2000'] = process.argv.slice(2);
const report = (line: string) => writeSync(1, `${line}\n`);
const store = await openPostgresStore(url, { retryForMs: 60_000 });
const { trialsRun } = await runRemoteWorker({
  store,
  spawner: fixtureSpawner(),
  studyId: Number(studyId),
  slots: Number(slots),
  baseDir: process.cwd(),
  exitWhenIdle: true,
  staleAfterMs: Number(staleMs),
  heartbeatMs: 250,
  pollMs: 100,
  log: report,
});
await store.close();
report(`done ${trialsRun}`);
