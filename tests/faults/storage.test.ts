import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TunebenchError } from '../../core/api/errors.js';
import { StudyRun } from '../../core/engine/studyRun.js';
import { openSqliteStore } from '../../core/store/sqliteStore.js';
import type { Store } from '../../core/store/store.js';
import { binPath, runCli } from '../support/cli.js';
import { createFixtureStudy, fixtureSpawner, tempStore, testEngineOwner } from '../support/engine.js';
import { checkDatabase } from '../support/sqliteFiles.js';
import { canUseMountNamespace } from './dbFiles.js';
import { faultyStore, type FaultPlan } from './faultyStore.js';
import { tally } from './tally.js';

// RELIABILITY rows 4 and 5: a write that fails (I/O error at write N, once or for good; a full
// disk) gives a clear error or a paused sweep, never a damaged file, and resume finishes the job.
let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
afterEach(async () => cleanup());

const space = { optimizer: { choice: ['sgd' as const, 'adam' as const] }, learningRate: { choice: [0.01, 0.02, 0.03] }, batchSize: 8 };

function runner(on: Store, study: Awaited<ReturnType<typeof createFixtureStudy>>) {
  return new StudyRun({ store: on, owner: testEngineOwner, spawner: fixtureSpawner(), study, workers: 2, baseDir: dir, emit: () => {}, slot: { heartbeatGraceMs: 1_500, killGraceMs: 300 }, cancelGraceMs: 500 });
}

/** Resumes on the healthy store as `tunebench resume` does, and checks the study is whole. */
async function resumeAndCheck(studyId: number): Promise<void> {
  await store.recoverStale(studyId, Date.now());
  const study = await store.getStudy(studyId);
  expect(await runner(store, study).run()).toEqual({ status: 'done', reason: null });
  const { rows } = await store.listTrials(studyId, { sort: 'number', limit: 100 });
  expect(new Set(rows.map((t) => t.number)).size).toBe(rows.length);
  const complete = rows.filter((t) => t.state === 'complete').map((t) => JSON.stringify(t.params));
  expect(new Set(complete).size, JSON.stringify(rows.map((t) => [t.number, t.state, t.error, t.retries, t.seed, t.params.optimizer, t.params.learningRate]))).toBe(6);
  expect(complete).toHaveLength(6); // each grid point complete exactly once
  expect(rows.filter((t) => t.state === 'running' || t.state === 'queued')).toEqual([]);
}

describe('I/O error at write N', () => {
  const plans: FaultPlan[] = [];
  for (let at = 1; at <= 10; at++) for (const isPersistent of [false, true]) plans.push({ at, isPersistent });

  it.each(plans)('write $at fails (persistent: $isPersistent): clear error or pause, file intact, resume completes', async (plan) => {
    const study = await createFixtureStudy(store, { space });
    const faulty = faultyStore(store, plan);
    let outcome: unknown;
    try {
      outcome = await runner(faulty.store, study).run();
    } catch (error) {
      outcome = error;
    }
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(TunebenchError);
      expect((outcome as TunebenchError).code).toBe('STORE_IO');
    } else if (faulty.injected() > 0) {
      expect(['done', 'paused']).toContain((outcome as { status: string }).status);
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // writes of the other lane settle
    await resumeAndCheck(study.id);
    await store.close();
    expect(checkDatabase(join(dir, 'test.db'))).toEqual({ integrity: 'ok', brokenKeys: 0 });
    store = await openSqliteStore(join(dir, 'test.db'));
    tally('ioFaultsInjected', faulty.injected());
    tally('integrityChecks');
  });
});

describe('disk full', () => {
  it('a result that cannot be written fails the trial as not stored and pauses the sweep', async () => {
    const study = await createFixtureStudy(store, { space });
    const faulty = faultyStore(store, { at: 3, isPersistent: false, method: 'finishTrial', message: 'the disk holding test.db is full: the write was rolled back' });
    const outcome = await runner(faulty.store, study).run();
    expect(outcome).toEqual({ status: 'paused', reason: 'the disk holding test.db is full: the write was rolled back' });
    expect((await store.getStudy(study.id)).status).toBe('paused');
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100 });
    expect(rows.filter((t) => t.error === 'not stored')).toHaveLength(1);
    await resumeAndCheck(study.id);
    tally('ioFaultsInjected');
  });

  it.skipIf(!canUseMountNamespace())('on a real 400 KB tmpfs: a clear error, the file intact, resume on a bigger disk completes', () => {
    const work = mkdtempSync(join(tmpdir(), 'tunebench-full-'));
    try {
      const spec = join(work, 'spec.yaml');
      writeFileSync(spec, 'name: full\ndataset: builtin:iris\nmodel: { type: mlp, hidden: [4] }\nepochs: 3\nspace:\n  optimizer: { choice: [sgd, adam] }\n  learningRate: { choice: [0.01, 0.03, 0.1, 0.2] }\n  batchSize: { choice: [16, 32, 64, 128] }\nsearch: { strategy: grid }\n');
      const mnt = join(work, 'mnt');
      // A private mount namespace: the tmpfs exists for this shell only; the files are copied out.
      const script = `mkdir -p ${mnt} && mount -t tmpfs -o size=400k tmpfs ${mnt} && "${process.execPath}" ${binPath} sweep ${spec} --db ${mnt}/t.db --workers 2 > ${work}/stdout 2> ${work}/stderr; echo $? > ${work}/rc; cp -r ${mnt}/t.db* ${work}/`;
      const shell = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8', timeout: 170_000 });
      expect(shell.status, shell.stderr).toBe(0);
      const read = (name: string) => spawnSync('cat', [join(work, name)], { encoding: 'utf8' }).stdout;
      expect(read('rc').trim()).toBe('1');
      // Paused with the reason when the small 'not stored' write still fits, else the error itself.
      expect(read('stdout') + read('stderr')).toMatch(/the disk holding .*t\.db is full: the write was rolled back/);
      expect(checkDatabase(join(work, 't.db'))).toEqual({ integrity: 'ok', brokenKeys: 0 });
      // A full disk may also have refused the lease's release: the dead owner's lease is taken over at once.
      const resumed = runCli(['resume', 'full', '--db', join(work, 't.db'), '--json', '--workers', '2']);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout).counts.complete).toBe(32);
      tally('ioFaultsInjected');
      tally('resumes');
      tally('integrityChecks');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
