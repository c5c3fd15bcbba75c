// Child process for storeKill.slow.test.ts: does store work until the parent SIGKILLs it.
// `migrate DB DIR`: runs the migrations of DIR; SQL calling tb_pause() reports and blocks there.
// `append DB TRIAL`: appends batches of 2000 points (value = batch index), reporting each.
import { writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrate, readMigrations } from '../../core/store/migrate.js';
import { openSqliteStore } from '../../core/store/sqliteStore.js';

export const batchSize = 2000;

const report = (line: string) => writeSync(1, `${line}\n`); // synchronous: the parent may kill next

async function main(mode: string | undefined, path: string, arg: string): Promise<void> {
  if (mode === 'migrate') {
    const db = new Database(path);
    db.function('tb_pause', () => {
      report('paused');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // block inside the transaction
      return null;
    });
    migrate(db, readMigrations(arg));
    report('migrated');
    return;
  }
  const store = await openSqliteStore(path);
  const trialId = Number(arg);
  for (let batch = 0; ; batch++) {
    const points = Array.from({ length: batchSize }, (_, i) => ({
      trialId,
      name: 'loss',
      epoch: batch * batchSize + i,
      value: batch,
    }));
    await store.appendMetrics(points);
    report(`batch ${batch}`);
  }
}

if (process.argv[1]?.endsWith('storeKillChild.ts')) {
  const [mode, path, arg] = process.argv.slice(2);
  await main(mode, path ?? '', arg ?? '');
}
