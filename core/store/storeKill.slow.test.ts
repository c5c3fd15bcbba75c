import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { appRoot, appPath } from '../paths.js';
import { migrate, readMigrations, schemaVersion } from './migrate.js';
import { openSqliteStore } from './sqliteStore.js';
import { sampleParams, sampleStudy } from '../../tests/support/storeFixtures.js';
import { batchSize } from '../../tests/support/storeKillChild.js';
import { useTempDatabases } from '../../tests/support/sqliteFiles.js';

// RELIABILITY rows 2 and 9: a process killed inside a write or a migration leaves whole
// transactions or none, and the next open carries on.

const temp = useTempDatabases();
const childPath = fileURLToPath(new URL('../../tests/support/storeKillChild.ts', import.meta.url));

function startChild(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', childPath, ...args], {
    cwd: appRoot(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Resolves when the child prints a line matching `pattern` (rejects if it exits first). */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      if (buffered.split('\n').some((line) => pattern.test(line))) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`child exited (${code ?? signal}) before ${pattern}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('killed mid-transaction', () => {
  it('a migration killed midway leaves the previous version; a rerun applies it once', async () => {
    const path = temp.file();
    const dir = join(temp.dir, 'migrations');
    mkdirSync(dir);
    const shipped = readMigrations();
    for (const m of shipped) copyFileSync(appPath('migrations', m.file), join(dir, m.file));
    const latest = shipped.length;
    const next = latest + 1;
    const store = await openSqliteStore(path);
    const study = await store.createStudy(sampleStudy('before'));
    await store.createTrial(study.id, sampleParams(), 1);
    await store.close();
    writeFileSync(
      join(dir, `${String(next).padStart(4, '0')}-slow.sql`),
      `CREATE TABLE extra (x INTEGER);
       INSERT INTO extra SELECT tb_pause();
       ALTER TABLE trial ADD COLUMN extra_x INTEGER;`,
    );

    const child = startChild(['migrate', path, dir]);
    try {
      await waitForLine(child, /^paused$/);
    } finally {
      await kill(child);
    }

    const db = new Database(path);
    expect(schemaVersion(db)).toBe(latest);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").all()).toEqual([]);
    db.function('tb_pause', () => null);
    expect(migrate(db, readMigrations(dir))).toEqual({ from: latest, to: next, applied: [next] });
    expect(migrate(db, readMigrations(dir)).applied).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM trial').get()).toEqual({ n: 1 });
    db.close();
  });

  it('appendMetrics batches killed at random moments are each whole or absent', async () => {
    const path = temp.file();
    const store = await openSqliteStore(path);
    const study = await store.createStudy(sampleStudy('kills'));
    await store.close();
    for (let round = 0; round < 4; round++) {
      const before = await openSqliteStore(path);
      const trial = await before.createTrial(study.id, sampleParams(), round);
      await before.close();

      const child = startChild(['append', path, String(trial.id)]);
      try {
        await waitForLine(child, /^batch 0$/);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 60)); // a random kill point
      } finally {
        await kill(child);
      }

      const after = await openSqliteStore(path);
      const points = await after.getMetrics([trial.id]);
      await after.close();
      const perBatch = new Map<number, number>();
      for (const p of points) perBatch.set(p.value, (perBatch.get(p.value) ?? 0) + 1);
      const batches = [...perBatch.keys()].sort((a, b) => a - b);
      expect(batches).toEqual(batches.map((_, i) => i)); // committed in order, no gap
      expect([...perBatch.values()].every((n) => n === batchSize)).toBe(true);
      expect(batches.length).toBeGreaterThanOrEqual(1);
    }
  });
});
