import { describe, expect, it } from 'vitest';
import { createFixtureStudy } from '../../tests/support/engine.js';
import { useTempPostgres } from '../../tests/support/postgresStores.js';
import { claimTrial, isTimeBudgetSpent, queueTrial, startTimeBudget } from './postgresWork.js';

const pg = useTempPostgres();
const params = { optimizer: 'adam', learningRate: 0.1, batchSize: 8, lrSchedule: 'constant' } as const;

describe("the shared queue's time budget (limits.maxMinutes on the server's clock)", () => {
  it('no worker claims a queued trial of a study whose budget is spent; other studies stay claimable; a new budget opens it again', async () => {
    const store = await pg.open();
    const spent = await createFixtureStudy(store, { space: { optimizer: 'adam', learningRate: 0.1, batchSize: 8 } });
    const open = await createFixtureStudy(store, { space: { optimizer: 'adam', learningRate: 0.1, batchSize: 8 } });
    for (const study of [spent, open]) await store.setStudyStatus(study.id, 'running', null);
    const queued = await queueTrial(store, spent.id, params, 1);
    const other = await queueTrial(store, open.id, params, 2);

    const endsAt = await startTimeBudget(store, spent.id, 0.0001); // 6 ms
    expect(endsAt).toEqual(expect.any(Number));
    while (!(await isTimeBudgetSpent(store, spent.id))) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await claimTrial(store, 'w0', Date.now(), spent.id)).toBeNull();
    expect((await claimTrial(store, 'w0', Date.now(), null))?.id).toBe(other.id); // a worker serving every study skips the spent one
    expect((await store.getTrial(queued.id)).state).toBe('queued');
    expect(await isTimeBudgetSpent(store, open.id)).toBe(false); // no budget: never spent

    // Resume starts a fresh budget (as a one-process run does); a run without one clears it.
    const later = await startTimeBudget(store, spent.id, 10);
    expect(later).toBeGreaterThan(endsAt!);
    expect((await claimTrial(store, 'w0', Date.now(), spent.id))?.id).toBe(queued.id);
    expect(await startTimeBudget(store, spent.id, undefined)).toBeNull();
    expect(await isTimeBudgetSpent(store, spent.id)).toBe(false);
    await store.close();
  });
});
