import { describe, expect, it } from 'vitest';
import type { StudySummary } from '../../../core/api/domain.js';
import { EventBatcher, type EventBatch, type Scheduler } from './eventBatcher.js';
import { makeTrial } from '../../../tests/support/trialFixtures.js';

function manualScheduler() {
  const pending: { callback: () => void; ms: number }[] = [];
  const scheduler: Scheduler = {
    set: (callback, ms) => {
      const entry = { callback, ms };
      pending.push(entry);
      return entry;
    },
    clear: (handle) => {
      const index = pending.indexOf(handle as (typeof pending)[number]);
      if (index >= 0) pending.splice(index, 1);
    },
  };
  const fire = () => pending.splice(0).forEach((entry) => entry.callback());
  return { scheduler, pending, fire };
}

const epoch = (trialId: number, n: number) => ({ type: 'epoch' as const, trialId, studyId: 1, epoch: n, metrics: { loss: 1 / (n + 1) } });

describe('EventBatcher', () => {
  it('arms one timer for a burst and delivers the burst in one batch', () => {
    const { scheduler, pending, fire } = manualScheduler();
    const batches: EventBatch[] = [];
    const batcher = new EventBatcher((batch) => batches.push(batch), 250, scheduler);
    for (let n = 0; n < 500; n++) batcher.push(epoch(1 + (n % 5), Math.floor(n / 5)));
    expect(pending).toHaveLength(1);
    expect(pending[0]?.ms).toBe(250);
    expect(batches).toHaveLength(0);
    fire();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.size).toBe(500);
    expect(batches[0]?.epochs.get(3)?.map((update) => update.epoch).slice(0, 3)).toEqual([0, 1, 2]);
    expect(batches[0]?.epochs.get(3)).toHaveLength(100);
  });

  it('keeps only the latest state of each trial and study', () => {
    const { scheduler, fire } = manualScheduler();
    const batches: EventBatch[] = [];
    const batcher = new EventBatcher((batch) => batches.push(batch), 100, scheduler);
    batcher.push({ type: 'trial', trial: makeTrial({ id: 4, state: 'running', value: null }) });
    batcher.push({ type: 'trial', trial: makeTrial({ id: 4, state: 'complete', value: 0.7 }) });
    batcher.push({ type: 'study', study: { id: 2, name: 'a' } as StudySummary });
    batcher.push({ type: 'study', study: { id: 2, name: 'b' } as StudySummary });
    fire();
    expect(batches[0]?.trials.size).toBe(1);
    expect(batches[0]?.trials.get(4)?.value).toBe(0.7);
    expect(batches[0]?.studies.get(2)?.name).toBe('b');
  });

  it('re-arms after a flush and skips empty flushes', () => {
    const { scheduler, pending, fire } = manualScheduler();
    const batches: EventBatch[] = [];
    const batcher = new EventBatcher((batch) => batches.push(batch), 100, scheduler);
    batcher.flush();
    expect(batches).toHaveLength(0);
    batcher.push(epoch(1, 0));
    fire();
    batcher.push(epoch(1, 1));
    expect(pending).toHaveLength(1);
    batcher.flush();
    expect(pending).toHaveLength(0);
    expect(batches.map((batch) => batch.size)).toEqual([1, 1]);
  });

  it('drops pending events on dispose', () => {
    const { scheduler, pending } = manualScheduler();
    const batches: EventBatch[] = [];
    const batcher = new EventBatcher((batch) => batches.push(batch), 100, scheduler);
    batcher.push(epoch(1, 0));
    batcher.dispose();
    batcher.flush();
    expect(pending).toHaveLength(0);
    expect(batches).toHaveLength(0);
  });
});
