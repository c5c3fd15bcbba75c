import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../tests/support/cli.js';
import { pointsCsv } from '../../tests/support/dataFiles.js';
import { useTempPostgres } from '../../tests/support/postgresStores.js';
import { openPostgresStore, type PostgresStore } from '../store/postgresStore.js';
import { queueTrial } from '../store/postgresWork.js';
import { createForkSpawner } from './forkSpawner.js';
import { runRemoteWorker } from './remoteWorker.js';
import { createTunebenchService } from './service.js';
import { studyDatasetHere } from './studyDataset.js';

const pg = useTempPostgres();
const root = mkdtempSync(join(tmpdir(), 'tunebench-shared-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const specText = (name: string) => `name: ${name}
dataset: { csv: points.csv, target: label }
model: { type: logistic }
objective: { metric: val_loss, direction: minimize }
epochs: 2
space: { optimizer: { choice: [sgd, adam] }, learningRate: 0.05, batchSize: 8 }
search: { strategy: grid }
`;

/**
 * "Machine A": a study created through the service from a CSV in its own folder, which is then
 * removed, so nothing on disk is left for a worker to read; 2 trials queued for any worker.
 */
async function studyFromMachineA(url: string, name: string, opts: { datasetBlobCapBytes?: number } = {}) {
  const dirA = join(root, `${name}-a`);
  mkdirSync(dirA);
  writeFileSync(join(dirA, 'points.csv'), pointsCsv());
  const service = createTunebenchService({ store: await openPostgresStore(url, opts), workDir: dirA, datasetsDir: join(dirA, 'datasets') });
  const created = await service.studies.create({ spec: specText(name), start: false });
  await service.close();
  rmSync(dirA, { recursive: true, force: true });
  const store = await openPostgresStore(url);
  const study = await store.getStudy(created.id);
  await store.setStudyStatus(study.id, 'running');
  for (const [seed, optimizer] of (['sgd', 'adam'] as const).entries()) await queueTrial(store, study.id, { optimizer, learningRate: 0.05, batchSize: 8, lrSchedule: 'constant' }, seed);
  return { store, study };
}

async function trialsOf(store: PostgresStore, studyId: number) {
  return (await store.listTrials(studyId, { sort: 'number' })).rows;
}

describe('a dataset travels to other machines by its fingerprint', () => {
  it('tunebench worker in a folder without the CSV fetches it from the database, checks it and trains', async () => {
    const url = await pg.url();
    const { store, study } = await studyFromMachineA(url, 'travels');
    const dirB = join(root, 'travels-b');
    mkdirSync(dirB);
    const worker = runCli(['worker', '--db', url, '--study', study.name, '--exit-when-idle'], { cwd: dirB, env: { TUNEBENCH_HOME: join(dirB, 'home') } });
    expect(worker.status, worker.stderr).toBe(0);
    const trials = await trialsOf(store, study.id);
    expect(trials.map((t) => [t.state, t.errorCode])).toEqual([['complete', null], ['complete', null]]);
    const cached = join(dirB, 'home', 'dataset-cache', `${study.datasetFingerprint}.csv`);
    expect(readFileSync(cached, 'utf8')).toBe(pointsCsv());

    // A third machine exports the best model: the store keeps no weights, so it trains the trial
    // again from its seed, on the CSV fetched by fingerprint, and says so.
    const dirC = join(root, 'travels-c');
    mkdirSync(dirC);
    const out = join(dirC, 'model');
    const exported = runCli(['export', study.name, '--format', 'model', '--out', out, '--db', url], { cwd: dirC, env: { TUNEBENCH_HOME: join(dirC, 'home') } });
    expect(exported.status, exported.stderr).toBe(0);
    expect(exported.stderr).toMatch(/trained again from its seed for this export: this store keeps no trial files/);
    expect(JSON.parse(readFileSync(join(out, 'preprocessing.json'), 'utf8'))).toMatchObject({ target: { name: 'label', classes: ['down', 'up'] } });
    expect(existsSync(join(out, 'model.json')) && existsSync(join(out, 'weights.bin'))).toBe(true);
    await store.close();
  }, 180_000);

  it('a damaged copy in the database is refused naming the fingerprint: the trial ends DATASET_CHANGED, the study pauses, nothing else runs', async () => {
    const url = await pg.url();
    const { store, study } = await studyFromMachineA(url, 'damaged');
    await store.session.write((q) => q.run(`UPDATE dataset_blob SET bytes = overlay(bytes placing '9' FROM 1 FOR 1)`, {}));
    const cacheDir = join(root, 'damaged-cache');
    const lines: string[] = [];
    await runRemoteWorker({ store, spawner: createForkSpawner(), studyId: study.id, slots: 1, baseDir: root, cacheDir, exitWhenIdle: true, pollMs: 50, log: (line) => lines.push(line) });
    const [first, second] = await trialsOf(store, study.id);
    expect(first).toMatchObject({ state: 'failed', errorCode: 'DATASET_CHANGED' });
    expect(first?.error).toContain(study.datasetFingerprint);
    expect(first?.error).toMatch(/copy stored in the database .* does not match/);
    expect(second?.state).toBe('queued'); // the pause stopped every claim
    const after = await store.getStudy(study.id);
    expect(after.status).toBe('paused');
    expect(after.statusReason).toContain(study.datasetFingerprint);
    expect(existsSync(join(cacheDir, `${study.datasetFingerprint}.csv`))).toBe(false);
    await store.close();
  }, 60_000);

  it('a CSV over the size cap is not kept: a worker without the file is told to put it at its path', async () => {
    const url = await pg.url();
    const { store, study } = await studyFromMachineA(url, 'capped', { datasetBlobCapBytes: 100 });
    expect(await store.datasetBytes(study.datasetFingerprint)).toBeNull();
    await expect(studyDatasetHere(store, study, root, join(root, 'capped-cache'))).rejects.toMatchObject({
      code: 'DATASET_UNKNOWN',
      message: expect.stringMatching(/not on this machine, and the database keeps no copy .*put the file at that path/),
    });
    await store.close();
  }, 60_000);
});
