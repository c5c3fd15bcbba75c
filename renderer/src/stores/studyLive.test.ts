import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { HistoryPoint, StudyDetail, TunebenchApi } from '../../../core/api/contract.js';
import type { MetricPoint, StudySummary } from '../../../core/api/domain.js';
import { studySpecSchema } from '../../../core/api/spec.js';
import { installApi } from '../api/useApi.js';
import { EventBatcher, type EventBatch } from '../lib/eventBatcher.js';
import { pointOf } from '../lib/historyPatch.js';
import { makeTrial } from '../../../tests/support/trialFixtures.js';
import { useStudyLiveStore } from './studyLive.js';

const spec = studySpecSchema.parse({ dataset: 'builtin:iris', epochs: 10, space: { optimizer: 'adam', learningRate: 0.01, batchSize: 16 } });
const study = {
  id: 1, name: 's', spec, objective: { metric: 'val_loss', direction: 'minimize' }, status: 'running', plannedTrials: 3,
  counts: { queued: 0, running: 1, complete: 1, pruned: 0, failed: 0 }, bestValue: 0.5, bestTrialNumber: 0, notes: '', tags: [],
} as unknown as StudySummary;
const history: HistoryPoint[] = [{ ...pointOf(makeTrial({ id: 10, number: 0, value: 0.5 })), best: 0.5 }];
const detail: StudyDetail = { study, dataset: null, running: [{ trialId: 11, number: 1, epoch: -1, epochs: 10 }], etaSeconds: 5 };
const curves: MetricPoint[] = [{ trialId: 11, epoch: 0, name: 'val_loss', value: 0.9 }];

function fakeApi(): TunebenchApi {
  return {
    studies: { get: async () => detail },
    trials: { history: async () => history, curves: async () => curves },
  } as unknown as TunebenchApi;
}

function batchOf(events: Parameters<EventBatcher['push']>[0][]): EventBatch {
  let captured: EventBatch | null = null;
  const batcher = new EventBatcher((batch) => (captured = batch), 1, { set: () => 1, clear: () => {} });
  events.forEach((event) => batcher.push(event));
  batcher.flush();
  if (!captured) throw new Error('no batch');
  return captured;
}

describe('studyLive.applyBatch', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    installApi(fakeApi());
  });

  it('moves epochs of running trials, appends curves of shown trials and ignores other studies', async () => {
    const store = useStudyLiveStore();
    await store.open(1);
    await store.showCurves([11]);
    store.applyBatch(
      batchOf([
        { type: 'epoch', trialId: 11, studyId: 1, epoch: 1, metrics: { val_loss: 0.7, loss: 0.8 } },
        { type: 'epoch', trialId: 11, studyId: 1, epoch: 2, metrics: { val_loss: 0.6 } },
        { type: 'epoch', trialId: 99, studyId: 2, epoch: 5, metrics: { val_loss: 0.1 } },
      ]),
    );
    expect(store.detail?.running).toEqual([{ trialId: 11, number: 1, epoch: 2, epochs: 10 }]);
    expect(store.curves.map((point) => `${point.epoch}:${point.name}=${point.value}`)).toEqual([
      '0:val_loss=0.9', '1:val_loss=0.7', '1:loss=0.8', '2:val_loss=0.6',
    ]);
  });

  it('never steps a running trial back, and shares its epochs run with the leaderboard', async () => {
    const store = useStudyLiveStore();
    await store.open(1);
    store.applyBatch(batchOf([{ type: 'epoch', trialId: 11, studyId: 1, epoch: 4, metrics: { val_loss: 0.6 } }]));
    // A trial event read from the store before those epochs were written.
    store.applyBatch(batchOf([{ type: 'trial', trial: makeTrial({ id: 11, number: 1, state: 'running', value: null, epochsRun: 2 }) }]));
    expect(store.detail?.running).toEqual([{ trialId: 11, number: 1, epoch: 4, epochs: 10 }]);
    expect(store.liveEpochsRun.get(11)).toBe(5);
  });

  it('applies a finished trial to the history, the running list and the leaderboard version', async () => {
    const store = useStudyLiveStore();
    await store.open(1);
    const finished = makeTrial({ id: 11, number: 1, value: 0.3, state: 'complete' });
    const started = makeTrial({ id: 12, number: 2, value: null, state: 'running', epochsRun: 0 });
    store.applyBatch(batchOf([{ type: 'trial', trial: finished }, { type: 'trial', trial: started }, { type: 'study', study: { ...study, bestValue: 0.3 } }]));
    expect(store.history.map((point) => [point.number, point.value, point.best])).toEqual([[0, 0.5, 0.5], [1, 0.3, 0.3], [2, null, 0.3]]);
    expect(store.detail?.running).toEqual([{ trialId: 12, number: 2, epoch: -1, epochs: 10 }]);
    expect(store.detail?.study.bestValue).toBe(0.3);
    expect(store.trialsVersion).toBe(1);
  });
});
