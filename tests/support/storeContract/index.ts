import { describe, expect, it } from 'vitest';
import { describeLeaseContract } from './lease.js';
import { describeTrialQueryContract } from './query.js';
import { describeTrialContract } from './trials.js';
import { sampleDataset, sampleParams, sampleStudy, useStore, type OpenStore } from '../storeFixtures.js';

/**
 * The behaviour every Store implementation owes (the doc comment of `Store`, as tests). Run it
 * with a function that opens a fresh, empty store; each test closes the store it opened.
 */
export function describeStoreContract(name: string, open: OpenStore): void {
  describe(`Store contract: ${name}`, () => {
    describeStudyContract(open);
    describeTrialContract(open);
    describeTrialQueryContract(open);
    describeLeaseContract(open);
  });
}

function describeStudyContract(open: OpenStore): void {
  describe('studies and datasets', () => {
    const store = useStore(open);

    it('createStudy round-trips through getStudy by id and by name', async () => {
      const input = sampleStudy('iris-a', { metric: 'val_accuracy', direction: 'maximize' });
      const study = await store().createStudy(input);
      expect(study).toMatchObject({
        name: 'iris-a',
        objective: { metric: 'val_accuracy', direction: 'maximize' },
        strategy: 'random',
        status: 'running',
        statusReason: null,
        plannedTrials: 8,
        datasetFingerprint: input.dataset.fingerprint,
        datasetName: 'iris',
        appVersion: '0.1.0',
        notes: '',
        tags: [],
      });
      expect(study.spec).toEqual(input.spec);
      expect(await store().getStudy(study.id)).toEqual(study);
      expect(await store().getStudy('iris-a')).toEqual(study);
    });

    it('records the dataset with the study; upsertDataset replaces, getDataset misses with null', async () => {
      const input = sampleStudy('d');
      await store().createStudy(input);
      expect(await store().getDataset(input.dataset.fingerprint)).toEqual(input.dataset);
      const other = { ...sampleDataset('a'.repeat(64)), name: 'iris copy', rows: 149 };
      await store().upsertDataset(other);
      await store().upsertDataset({ ...other, description: 'changed' });
      expect(await store().getDataset(other.fingerprint)).toEqual({ ...other, description: 'changed' });
      expect(await store().getDataset('nope')).toBeNull();
    });

    it('refuses a second study with a taken name (CONFLICT)', async () => {
      await store().createStudy(sampleStudy('same'));
      await expect(store().createStudy(sampleStudy('same'))).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('getStudy matches a numeric-looking name as a name first, then as an id', async () => {
      const a = await store().createStudy(sampleStudy('a'));
      const b = await store().createStudy(sampleStudy('b'));
      const named = await store().createStudy(sampleStudy(String(a.id)));
      expect((await store().getStudy(String(a.id))).id).toBe(named.id);
      expect((await store().getStudy(a.id)).name).toBe('a');
      expect((await store().getStudy(String(b.id))).name).toBe('b');
      await expect(store().getStudy('missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(store().getStudy(99_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('setStudyStatus stores the status and reason; a later status clears the reason', async () => {
      const { id } = await store().createStudy(sampleStudy('s'));
      await store().setStudyStatus(id, 'failed', '5 failures in a row');
      expect(await store().getStudy(id)).toMatchObject({ status: 'failed', statusReason: '5 failures in a row' });
      await store().setStudyStatus(id, 'done');
      expect(await store().getStudy(id)).toMatchObject({ status: 'done', statusReason: null });
      await expect(store().setStudyStatus(99_999, 'done')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('updateStudy patches only what it is given and keeps names unique', async () => {
      const study = await store().createStudy(sampleStudy('old'));
      await store().createStudy(sampleStudy('taken'));
      const renamed = await store().updateStudy(study.id, { name: 'new', tags: ['keep', 'adam'] });
      expect(renamed).toMatchObject({ name: 'new', notes: '', tags: ['keep', 'adam'] });
      const noted = await store().updateStudy(study.id, { notes: 'lr matters' });
      expect(noted).toMatchObject({ name: 'new', notes: 'lr matters', tags: ['keep', 'adam'] });
      expect(noted.updatedAt).toBeGreaterThanOrEqual(study.createdAt);
      expect(await store().getStudy('new')).toEqual(noted);
      await expect(store().updateStudy(study.id, { name: 'taken' })).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(store().updateStudy(study.id, { name: 'new' })).resolves.toMatchObject({ name: 'new' });
      await expect(store().updateStudy(99_999, { notes: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('deleteStudy removes its trials and curves but keeps the dataset', async () => {
      const input = sampleStudy('gone');
      const study = await store().createStudy(input);
      const kept = await store().createStudy(sampleStudy('kept'));
      const trial = await store().createTrial(study.id, sampleParams(), 7);
      const keptTrial = await store().createTrial(kept.id, sampleParams(), 7);
      await store().appendMetrics([
        { trialId: trial.id, name: 'loss', epoch: 0, value: 1 },
        { trialId: keptTrial.id, name: 'loss', epoch: 0, value: 2 },
      ]);
      await store().deleteStudy(study.id);
      await expect(store().getStudy(study.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(store().getTrial(trial.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await store().getMetrics([trial.id, keptTrial.id])).toEqual([
        { trialId: keptTrial.id, name: 'loss', epoch: 0, value: 2 },
      ]);
      expect((await store().listStudies()).map((s) => s.name)).toEqual(['kept']);
      expect(await store().getDataset(input.dataset.fingerprint)).not.toBeNull();
      await expect(store().deleteStudy(study.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('listStudies gives every study, newest first, with counts', async () => {
      const first = await store().createStudy(sampleStudy('first'));
      await store().createStudy(sampleStudy('second'));
      await store().createTrial(first.id, sampleParams(), 1);
      const list = await store().listStudies();
      expect(list.map((s) => s.name)).toEqual(['second', 'first']);
      expect(list[1]?.counts).toEqual({ queued: 1, running: 0, complete: 0, pruned: 0, failed: 0, cancelled: 0 });
      expect(list[0]).toMatchObject({ bestValue: null, bestTrialNumber: null });
      const { counts, bestValue, bestTrialNumber, ...study } = list[1] ?? (await store().summarizeStudy(first.id));
      expect([counts.queued, bestValue, bestTrialNumber]).toEqual([1, null, null]);
      expect(study).toEqual(await store().getStudy(first.id));
    });
  });
}
