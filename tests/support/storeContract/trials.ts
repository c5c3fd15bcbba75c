import { describe, expect, it } from 'vitest';
import {
  completed,
  curve,
  finishedTrial,
  sampleParams,
  sampleStudy,
  useStore,
  type OpenStore,
} from '../storeFixtures.js';

/** Trial lifecycle: numbering, running, metrics, finishing, stale recovery, notes. */
export function describeTrialContract(open: OpenStore): void {
  describe('trials', () => {
    const store = useStore(open);
    const newStudy = async (name = 'study') => (await store().createStudy(sampleStudy(name))).id;

    it('createTrial round-trips through getTrial', async () => {
      const studyId = await newStudy();
      const trial = await store().createTrial(studyId, sampleParams('sgd', 0.05), 42);
      expect(trial).toMatchObject({
        studyId,
        number: 0,
        params: sampleParams('sgd', 0.05),
        state: 'queued',
        value: null,
        bestEpoch: null,
        epochsRun: 0,
        startedAt: null,
        endedAt: null,
        durationMs: null,
        worker: null,
        backend: null,
        adapter: null,
        error: null,
        seed: 42,
        heartbeatAt: null,
        retries: 0,
        notes: '',
        tags: [],
      });
      expect(await store().getTrial(trial.id)).toEqual(trial);
      expect((await store().createTrial(studyId, sampleParams(), 43, 2)).retries).toBe(2);
      await expect(store().createTrial(99_999, sampleParams(), 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(store().getTrial(99_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('numbers trials 0..n-1 per study, unique and dense under many concurrent calls', async () => {
      const a = await newStudy('a');
      const b = await newStudy('b');
      const calls = Array.from({ length: 120 }, (_, i) => store().createTrial(i % 3 ? a : b, sampleParams(), i));
      const trials = await Promise.all(calls);
      for (const studyId of [a, b]) {
        const numbers = trials.filter((t) => t.studyId === studyId).map((t) => t.number);
        expect(numbers.sort((x, y) => x - y)).toEqual(numbers.map((_, i) => i));
      }
      expect(new Set(trials.map((t) => t.id)).size).toBe(120);
    });

    it('markTrialRunning and heartbeat update a running trial', async () => {
      const studyId = await newStudy();
      const trial = await store().createTrial(studyId, sampleParams(), 1);
      await store().markTrialRunning(trial.id, 'worker-1', 1_000);
      expect(await store().getTrial(trial.id)).toMatchObject({
        state: 'running',
        worker: 'worker-1',
        startedAt: 1_000,
        heartbeatAt: 1_000,
      });
      const done = await finishedTrial(store(), studyId, completed(0.5));
      await store().heartbeat([trial.id, done.id, 99_999], 1_500);
      expect((await store().getTrial(trial.id)).heartbeatAt).toBe(1_500);
      expect((await store().getTrial(done.id)).heartbeatAt).toBe(done.heartbeatAt);
      await expect(store().markTrialRunning(99_999, 'w', 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('appendMetrics stores curves, replaces a repeated point and keeps NaN', async () => {
      const studyId = await newStudy();
      const t1 = await store().createTrial(studyId, sampleParams(), 1);
      const t2 = await store().createTrial(studyId, sampleParams(), 2);
      await store().markTrialRunning(t1.id, 'w', 1);
      await store().appendMetrics([...curve(t1.id, 'val_loss', [0.9, 0.7]), ...curve(t1.id, 'loss', [1, 0.8])]);
      await store().appendMetrics([...curve(t1.id, 'val_loss', [0.6], 1), ...curve(t2.id, 'loss', [Number.NaN])]);
      expect(await store().getMetrics([t2.id, t1.id])).toEqual([
        ...curve(t1.id, 'loss', [1, 0.8]),
        ...curve(t1.id, 'val_loss', [0.9, 0.6]),
        ...curve(t2.id, 'loss', [Number.NaN]),
      ]);
      expect(await store().getMetrics([t1.id], ['val_loss'])).toEqual(curve(t1.id, 'val_loss', [0.9, 0.6]));
      expect(await store().getMetrics([99_999])).toEqual([]);
      expect((await store().getTrial(t1.id)).epochsRun).toBe(2);
    });

    it('appendMetrics is all-or-nothing for its batch', async () => {
      const studyId = await newStudy();
      const trial = await store().createTrial(studyId, sampleParams(), 1);
      const unknown = { trialId: 99_999, name: 'loss', epoch: 0, value: 1 };
      await expect(store().appendMetrics([...curve(trial.id, 'loss', [1, 2]), unknown])).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const badEpoch = { trialId: trial.id, name: 'loss', epoch: -1, value: 1 };
      await expect(store().appendMetrics([...curve(trial.id, 'loss', [1]), badEpoch])).rejects.toMatchObject({
        code: 'ARGUMENT_INVALID',
      });
      expect(await store().getMetrics([trial.id])).toEqual([]);
    });

    it('finishTrial writes the last points and the final state together', async () => {
      const studyId = await newStudy();
      const trial = await store().createTrial(studyId, sampleParams(), 1);
      await store().markTrialRunning(trial.id, 'w', 1_000);
      await store().appendMetrics(curve(trial.id, 'val_loss', [0.9]));
      const result = { ...completed(0.4, 2, 1_750), bestEpoch: 1, backendNote: 'tfjs-node-gpu: not installed' };
      const finished = await store().finishTrial(trial.id, result, curve(trial.id, 'val_loss', [0.4], 1));
      expect(finished).toMatchObject({ state: 'complete', value: 0.4, bestEpoch: 1, epochsRun: 2, endedAt: 1_750 });
      expect(finished).toMatchObject({ durationMs: 750, backend: 'wasm', backendNote: 'tfjs-node-gpu: not installed', error: null, worker: 'w' });
      expect(await store().getTrial(trial.id)).toEqual(finished);
      expect(await store().getMetrics([trial.id])).toEqual(curve(trial.id, 'val_loss', [0.9, 0.4]));
      const diverged = await finishedTrial(store(), studyId, { ...completed(Number.POSITIVE_INFINITY), state: 'failed' });
      expect(diverged.value).toBeNull();
    });

    it('finishTrial keeps the GPU adapter a trial trained on, field by field', async () => {
      const studyId = await newStudy();
      const adapter = { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA: 535.183.01', device: 'NVIDIA GeForce RTX 3060', isSoftware: false };
      const onGpu = await finishedTrial(store(), studyId, { ...completed(0.3), backend: 'webgpu', adapter });
      expect(onGpu).toMatchObject({ backend: 'webgpu', adapter });
      expect((await store().getTrial(onGpu.id)).adapter).toEqual(adapter);
      expect((await store().listTrials(studyId)).rows.find((trial) => trial.id === onGpu.id)?.adapter).toEqual(adapter);
      const offGpu = await finishedTrial(store(), studyId, completed(0.4));
      expect((await store().getTrial(offGpu.id)).adapter).toBeNull();
    });

    it('finishTrial refuses points of another trial and then writes nothing', async () => {
      const studyId = await newStudy();
      const trial = await store().createTrial(studyId, sampleParams(), 1);
      const other = await store().createTrial(studyId, sampleParams(), 2);
      await store().markTrialRunning(trial.id, 'w', 1);
      const points = [...curve(trial.id, 'loss', [1]), ...curve(other.id, 'loss', [2])];
      await expect(store().finishTrial(trial.id, completed(1), points)).rejects.toMatchObject({
        code: 'ARGUMENT_INVALID',
      });
      expect((await store().getTrial(trial.id)).state).toBe('running');
      expect(await store().getMetrics([trial.id, other.id])).toEqual([]);
    });

    it('never changes a finished trial again, but for notes and tags', async () => {
      const studyId = await newStudy();
      const done = await finishedTrial(store(), studyId, completed(0.3));
      const conflict = { code: 'CONFLICT' };
      await expect(store().appendMetrics(curve(done.id, 'loss', [1]))).rejects.toMatchObject(conflict);
      await expect(store().markTrialRunning(done.id, 'w', 5)).rejects.toMatchObject(conflict);
      await expect(store().finishTrial(done.id, completed(0.1), [])).rejects.toMatchObject(conflict);
      const noted = await store().updateTrialNotes(done.id, { notes: 'odd spike', tags: ['look'] });
      expect(noted).toEqual({ ...done, notes: 'odd spike', tags: ['look'] });
      expect(await store().updateTrialNotes(done.id, { tags: [] })).toEqual({ ...noted, tags: [] });
      expect(await store().getTrial(done.id)).toEqual({ ...noted, tags: [] });
      await expect(store().updateTrialNotes(99_999, { notes: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('recoverStale fails running and queued trials with error stale, once', async () => {
      const studyId = await newStudy();
      const otherStudy = await newStudy('other');
      const done = await finishedTrial(store(), studyId, completed(0.2));
      const running = await store().createTrial(studyId, sampleParams(), 2);
      await store().markTrialRunning(running.id, 'w', 4_000);
      const queued = await store().createTrial(studyId, sampleParams(), 3);
      const elsewhere = await store().createTrial(otherStudy, sampleParams(), 4);
      const recovered = await store().recoverStale(studyId, 9_000);
      expect(recovered.map((t) => t.id)).toEqual([running.id, queued.id]);
      expect(recovered[0]).toMatchObject({ state: 'failed', error: 'stale', endedAt: 9_000, durationMs: 5_000 });
      expect(recovered[1]).toMatchObject({ state: 'failed', error: 'stale', endedAt: 9_000, durationMs: null });
      expect(await store().getTrial(running.id)).toEqual(recovered[0]);
      expect(await store().getTrial(done.id)).toEqual(done);
      expect((await store().getTrial(elsewhere.id)).state).toBe('queued');
      expect(await store().recoverStale(studyId, 9_500)).toEqual([]);
      await expect(store().recoverStale(99_999, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}
