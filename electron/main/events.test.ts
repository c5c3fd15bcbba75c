import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvent } from '../../core/api/contract.js';
import { createFakeApi, studySummary } from '../../tests/support/fakeApi.js';
import { pushEventsToWindow } from './events.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

const epoch = (n: number): ApiEvent => ({ type: 'epoch', trialId: 1, studyId: 1, epoch: n, metrics: { loss: n } });

describe('events pushed to the window', () => {
  it('sends batches on tunebench:events at most 4 times a second', () => {
    const fake = createFakeApi();
    const sent: [string, ApiEvent[]][] = [];
    const target = { isDestroyed: () => false, send: (channel: string, batch: unknown) => void sent.push([channel, batch as ApiEvent[]]) };
    const stop = pushEventsToWindow(fake.api.onEvent, () => target);
    for (let ms = 0; ms < 2000; ms += 5) {
      fake.emit(epoch(ms));
      if (ms % 100 === 0) fake.emit({ type: 'study', study: studySummary(1, `at-${ms}`) });
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(300);
    expect(sent.length).toBeGreaterThanOrEqual(7);
    expect(sent.length).toBeLessThanOrEqual(9);
    expect(sent.every(([channel]) => channel === 'tunebench:events')).toBe(true);
    expect(sent.flatMap(([, batch]) => batch).filter((event) => event.type === 'epoch')).toHaveLength(400);
    stop();
    expect(fake.listenerCount()).toBe(0);
  });

  it('drops batches when the window is gone', () => {
    const fake = createFakeApi();
    const send = vi.fn();
    pushEventsToWindow(fake.api.onEvent, () => ({ isDestroyed: () => true, send }));
    fake.emit(epoch(1));
    vi.advanceTimersByTime(300);
    pushEventsToWindow(fake.api.onEvent, () => null);
    fake.emit(epoch(2));
    vi.advanceTimersByTime(300);
    expect(send).not.toHaveBeenCalled();
  });
});
