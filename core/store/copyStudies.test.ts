import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pointsCsv } from '../../tests/support/dataFiles.js';
import { createTunebenchService } from '../engine/service.js';
import type { Trial } from '../api/domain.js';
import { useTempPostgres } from '../../tests/support/postgresStores.js';
import { useTempDatabases } from '../../tests/support/sqliteFiles.js';
import { completed, curve, finishedTrial, sampleParams, sampleStudy } from '../../tests/support/storeFixtures.js';
import { copyStudies } from './copyStudies.js';
import { openSqliteStore } from './sqliteStore.js';
import type { Store } from './store.js';

const pg = useTempPostgres();
const temp = useTempDatabases();

/** What a copy keeps of a trial: everything but the store's own ids. */
function comparable(store: Store, trials: Trial[]) {
  const numberOf = new Map(trials.map((t) => [t.id, t.number]));
  return Promise.all(
    trials.map(async ({ id, studyId, retryOf, ...rest }) => ({
      ...rest,
      retryOfNumber: retryOf === null ? null : numberOf.get(retryOf),
      curve: (await store.getMetrics([id])).map(({ trialId, ...point }) => point),
    })),
  );
}

async function snapshot(store: Store, name: string) {
  const study = await store.getStudy(name);
  const { rows } = await store.listTrials(study.id, { limit: 1000 });
  const { id, createdAt, updatedAt, ...rest } = study; // the copy's own times: the Store sets them
  return { study: rest, trials: await comparable(store, rows), dataset: await store.getDataset(study.datasetFingerprint) };
}

describe('copyStudies between SQLite and PostgreSQL', () => {
  it('a study goes to the server and back unchanged but for ids; a taken name is refused', async () => {
    const file = await openSqliteStore(temp.file());
    const study = await file.createStudy(sampleStudy('laptop'));
    await finishedTrial(file, study.id, completed(0.25), { curve: [0.5, 0.25] });
    await finishedTrial(file, study.id, { ...completed(0.7), state: 'pruned' }, { curve: [0.9, Number.NaN] });
    const crashed = await finishedTrial(file, study.id, { ...completed(null), state: 'failed', error: 'crashed(SIGKILL)', errorCode: 'TRIAL_CRASHED' });
    const retry = await file.createTrial(study.id, crashed.params, crashed.seed, 1, crashed.id);
    await file.updateTrialNotes(retry.id, { notes: 'second try', tags: ['retry'] });
    await file.createTrial(study.id, sampleParams('sgd'), 9);
    await file.updateStudy(study.id, { notes: 'begun on a laptop', tags: ['iris'] });
    await file.setStudyStatus(study.id, 'paused', 'paused by user');

    const server = await pg.open();
    await copyStudies(file, server);
    expect(await snapshot(server, 'laptop')).toEqual(await snapshot(file, 'laptop'));
    await expect(copyStudies(file, server)).rejects.toMatchObject({ code: 'CONFLICT' });

    const back = await openSqliteStore(temp.file());
    await copyStudies(server, back, ['laptop']);
    expect(await snapshot(back, 'laptop')).toEqual(await snapshot(file, 'laptop'));
    await Promise.all([file.close(), server.close(), back.close()]);
  });

  it('a CSV study copied to the server takes its dataset along, by fingerprint, for workers elsewhere', async () => {
    writeFileSync(join(temp.dir, 'points.csv'), pointsCsv());
    const file = await openSqliteStore(temp.file());
    const service = createTunebenchService({ store: file, workDir: temp.dir, datasetsDir: join(temp.dir, 'datasets') });
    const spec = 'name: csv-study\ndataset: { csv: points.csv, target: label }\nmodel: { type: logistic }\nspace: { optimizer: adam, learningRate: 0.01, batchSize: 8 }\n';
    const study = await service.studies.create({ spec, start: false });
    const server = await pg.open();
    await copyStudies(file, server);
    expect(Buffer.from((await server.datasetBytes(study.datasetFingerprint)) ?? []).toString('utf8')).toBe(pointsCsv());

    // Back to a laptop that never had the file: it is kept by content beside the new database.
    rmSync(join(temp.dir, 'datasets'), { recursive: true, force: true });
    const home = join(temp.dir, 'home');
    const back = await openSqliteStore(temp.file());
    const [copy] = await copyStudies(server, back, ['csv-study'], { datasetsDir: join(home, 'datasets') });
    const csv = typeof copy?.spec.dataset === 'string' ? '' : (copy?.spec.dataset.csv ?? '');
    expect(csv.startsWith(join(home, 'datasets'))).toBe(true);
    expect(readFileSync(csv, 'utf8')).toBe(pointsCsv());
    expect((await back.getDataset(study.datasetFingerprint))?.path).toBe(csv);
    await Promise.all([service.close(), server.close(), back.close()]);
  });
});
