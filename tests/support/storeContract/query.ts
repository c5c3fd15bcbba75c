import { describe, expect, it } from 'vitest';
import type { Direction, Trial } from '../../../core/api/domain.js';
import type { Store } from '../../../core/store/store.js';
import {
  completed,
  curve,
  finishedTrial,
  sampleParams,
  sampleStudy,
  useStore,
  type OpenStore,
} from '../storeFixtures.js';

const values = (page: { rows: Trial[] }) => page.rows.map((t) => t.value);
const numbers = (page: { rows: Trial[] }) => page.rows.map((t) => t.number);

/**
 * A study of 5 trials: #0 complete 0.5, #1 failed (null), #2 complete 0.2 (sgd), #3 complete 0.9,
 * #4 queued. Durations 1000 except #3 (3000).
 */
async function seedStudy(store: Store, direction: Direction) {
  const study = await store.createStudy(sampleStudy(`s-${direction}`, { metric: 'val_loss', direction }));
  await finishedTrial(store, study.id, completed(0.5));
  await finishedTrial(store, study.id, { ...completed(null), state: 'failed', error: 'diverged: NaN loss' });
  await finishedTrial(store, study.id, completed(0.2), { params: sampleParams('sgd') });
  await finishedTrial(store, study.id, completed(0.9, 3, 4_000));
  await store.createTrial(study.id, sampleParams(), 5);
  return study.id;
}

/** listTrials (filters, sorting, paging, valueAt) and the summaries' counts and best value. */
export function describeTrialQueryContract(open: OpenStore): void {
  describe('trial pages and summaries', () => {
    const store = useStore(open);

    it('sorts by value best-first for a minimized objective, NULLs last', async () => {
      const studyId = await seedStudy(store(), 'minimize');
      expect(values(await store().listTrials(studyId, { sort: 'value' }))).toEqual([0.2, 0.5, 0.9, null, null]);
      const literal = await store().listTrials(studyId, { sort: 'value', descending: true });
      expect(values(literal)).toEqual([0.9, 0.5, 0.2, null, null]);
      expect(numbers(literal).slice(3)).toEqual([1, 4]);
    });

    it('sorts by value best-first for a maximized objective, NULLs last', async () => {
      const studyId = await seedStudy(store(), 'maximize');
      expect(values(await store().listTrials(studyId, { sort: 'value' }))).toEqual([0.9, 0.5, 0.2, null, null]);
      const literal = await store().listTrials(studyId, { sort: 'value', descending: false });
      expect(values(literal)).toEqual([0.2, 0.5, 0.9, null, null]);
    });

    it('lists narrow history rows in number order, agreeing with the pages for every value mode', async () => {
      const studyId = await seedStudy(store(), 'minimize');
      for (const valueAt of ['best', 'last', { epoch: 0 }] as const) {
        const rows = await store().historyRows(studyId, valueAt);
        const page = await store().listTrials(studyId, { sort: 'number', valueAt });
        expect(rows.map((r) => [r.number, r.trialId, r.state, r.value, r.durationMs, r.epochsRun])).toEqual(
          page.rows.map((t) => [t.number, t.id, t.state, t.value, t.durationMs, t.epochsRun]),
        );
        expect(rows[2]!.params).toEqual({ optimizer: 'sgd', learningRate: page.rows[2]!.params.learningRate, batchSize: page.rows[2]!.params.batchSize, lrSchedule: page.rows[2]!.params.lrSchedule });
      }
    });

    it('reads the history as columns and the rows of chosen trial numbers, agreeing with historyRows', async () => {
      const studyId = await seedStudy(store(), 'minimize');
      for (const valueAt of ['best', 'last', { epoch: 0 }] as const) {
        const rows = await store().historyRows(studyId, valueAt);
        expect(await store().historyColumns(studyId, valueAt)).toEqual({
          numbers: rows.map((r) => r.number),
          states: rows.map((r) => r.state),
          values: rows.map((r) => r.value),
        });
        expect(await store().historyRows(studyId, valueAt, [3, 0, 99])).toEqual([rows[0], rows[3]]);
      }
      await expect(store().historyColumns(99_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('filters by state and optimizer, pages with offset/limit and counts the total', async () => {
      const studyId = await seedStudy(store(), 'minimize');
      const all = await store().listTrials(studyId);
      expect([all.total, numbers(all)]).toEqual([5, [0, 1, 2, 3, 4]]);
      const complete = await store().listTrials(studyId, { states: ['complete'], sort: 'value', limit: 2 });
      expect([complete.total, values(complete)]).toEqual([3, [0.2, 0.5]]);
      const next = await store().listTrials(studyId, { states: ['complete'], sort: 'value', offset: 2, limit: 2 });
      expect([next.total, values(next)]).toEqual([3, [0.9]]);
      const unfinished = await store().listTrials(studyId, { states: ['failed', 'queued'] });
      expect(numbers(unfinished)).toEqual([1, 4]);
      const sgd = await store().listTrials(studyId, { optimizer: 'sgd' });
      expect([sgd.total, numbers(sgd)]).toEqual([1, [2]]);
      expect((await store().listTrials(studyId, { optimizer: 'adam', states: ['complete'] })).total).toBe(2);
      await expect(store().listTrials(studyId, { offset: -1 })).rejects.toMatchObject({ code: 'ARGUMENT_INVALID' });
      await expect(store().listTrials(99_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('sorts by number, duration and state', async () => {
      const studyId = await seedStudy(store(), 'minimize');
      expect(numbers(await store().listTrials(studyId, { sort: 'number', descending: true }))).toEqual([4, 3, 2, 1, 0]);
      const byDuration = await store().listTrials(studyId, { sort: 'duration', descending: true });
      expect(numbers(byDuration)).toEqual([3, 0, 1, 2, 4]);
      const byState = await store().listTrials(studyId, { sort: 'state' });
      expect(byState.rows.map((t) => t.state)).toEqual(['queued', 'complete', 'complete', 'complete', 'failed']);
    });

    it('sorts by a parameter (ties best value first, missing last) and filters by tag', async () => {
      const study = await store().createStudy(sampleStudy('params', { metric: 'val_loss', direction: 'minimize' }));
      const a = await finishedTrial(store(), study.id, completed(0.5), { params: sampleParams('sgd', 0.1) });
      await finishedTrial(store(), study.id, completed(0.3), { params: { ...sampleParams('momentum', 0.001), momentum: 0.9 } });
      await finishedTrial(store(), study.id, completed(0.2), { params: sampleParams('adam', 0.1) });
      await finishedTrial(store(), study.id, completed(0.4), { params: { ...sampleParams('nesterov', 0.01), momentum: 0.8 } });
      expect(numbers(await store().listTrials(study.id, { sort: 'optimizer' }))).toEqual([2, 1, 3, 0]);
      expect(numbers(await store().listTrials(study.id, { sort: 'optimizer', descending: true }))).toEqual([0, 3, 1, 2]);
      expect(numbers(await store().listTrials(study.id, { sort: 'learningRate' }))).toEqual([1, 3, 2, 0]);
      expect(numbers(await store().listTrials(study.id, { sort: 'learningRate', descending: true, limit: 2 }))).toEqual([2, 0]);
      expect(numbers(await store().listTrials(study.id, { sort: 'momentum' }))).toEqual([3, 1, 2, 0]);
      await store().updateTrialNotes(a.id, { tags: ['keep', 'sgd'] });
      const tagged = await store().listTrials(study.id, { tag: 'keep' });
      expect([tagged.total, numbers(tagged)]).toEqual([1, [0]]);
      expect((await store().listTrials(study.id, { tag: 'kee' })).total).toBe(0);
    });

    it('ranks by the objective at the last epoch or at a given epoch (valueAt)', async () => {
      const study = await store().createStudy(sampleStudy('curves'));
      await finishedTrial(store(), study.id, completed(0.3), { curve: [0.9, 0.3, 0.6] });
      await finishedTrial(store(), study.id, completed(0.4), { curve: [0.8, 0.4, 0.5] });
      await finishedTrial(store(), study.id, { ...completed(null), state: 'pruned' }, { curve: [0.7] });
      const running = await store().createTrial(study.id, sampleParams(), 9);
      await store().markTrialRunning(running.id, 'w', 1);
      await store().appendMetrics([...curve(running.id, 'val_loss', [0.95, 0.45]), ...curve(running.id, 'loss', [0.1])]);

      const best = await store().listTrials(study.id, { sort: 'value' });
      expect([numbers(best), values(best)]).toEqual([[0, 1, 2, 3], [0.3, 0.4, null, null]]);
      const last = await store().listTrials(study.id, { sort: 'value', valueAt: 'last' });
      expect([numbers(last), values(last)]).toEqual([[3, 1, 0, 2], [0.45, 0.5, 0.6, 0.7]]);
      const atOne = await store().listTrials(study.id, { sort: 'value', valueAt: { epoch: 1 } });
      expect([numbers(atOne), values(atOne)]).toEqual([[0, 1, 3, 2], [0.3, 0.4, 0.45, null]]);
      const atZero = await store().listTrials(study.id, { sort: 'number', valueAt: { epoch: 0 }, limit: 2 });
      expect(values(atZero)).toEqual([0.9, 0.8]);
    });

    it('summarizes counts per state and the best complete trial for either direction', async () => {
      for (const [direction, bestValue, bestTrialNumber] of [
        ['minimize', 0.2, 2],
        ['maximize', 0.9, 3],
      ] as const) {
        const studyId = await seedStudy(store(), direction);
        const summary = await store().summarizeStudy(studyId);
        expect(summary.counts).toEqual({ queued: 1, running: 0, complete: 3, pruned: 0, failed: 1, cancelled: 0 });
        expect(summary).toMatchObject({ bestValue, bestTrialNumber });
        expect((await store().listStudies()).find((s) => s.id === studyId)).toEqual(summary);
      }
      const tie = await store().createStudy(sampleStudy('tie'));
      await finishedTrial(store(), tie.id, completed(0.7));
      await finishedTrial(store(), tie.id, completed(0.7));
      expect(await store().summarizeStudy(tie.id)).toMatchObject({ bestValue: 0.7, bestTrialNumber: 0 });
      await expect(store().summarizeStudy(99_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}
