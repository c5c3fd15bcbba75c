import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../api/contract.js';
import type { StudySpecInput } from '../api/spec.js';
import type { Store } from '../store/store.js';
import { StudyRun } from './studyRun.js';
import { createFixtureStudy, fixtureSpawner, tempStore, testEngineOwner } from '../../tests/support/engine.js';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  ({ store, dir, cleanup } = await tempStore());
});
afterEach(async () => cleanup());

function runner(study: Awaited<ReturnType<typeof createFixtureStudy>>, emit: (event: ApiEvent) => void = () => {}) {
  return new StudyRun({ store, owner: testEngineOwner, spawner: fixtureSpawner(), study, workers: 1, baseDir: dir, emit, slot: { heartbeatGraceMs: 5_000, killGraceMs: 300 } });
}

// Scripted curves: val_loss = lr * (epochs - epoch) + bs / 1000, so a smaller rate is better at every epoch.
const tpeSpec = (pruner: StudySpecInput['pruner']): Partial<StudySpecInput> & Pick<StudySpecInput, 'space'> => ({
  epochs: 9,
  space: { optimizer: 'sgd', learningRate: { logUniform: [0.001, 0.3] }, batchSize: { choice: [8, 16] } },
  objective: { metric: 'val_loss', direction: 'minimize' },
  search: { strategy: 'tpe', trials: 10, seed: 5, startupTrials: 4 },
  pruner,
});

describe('TPE + ASHA in the engine, with real worker processes', () => {
  it('prunes at rungs, keeps the last value on pruned trials, and never counts them as complete', async () => {
    const study = await createFixtureStudy(store, tpeSpec({ type: 'asha', minEpochs: 1, reductionFactor: 3, noiseAware: false }));
    expect((await runner(study).run()).status).toBe('done');
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100 });
    expect(rows).toHaveLength(10);
    const pruned = rows.filter((t) => t.state === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const trial of pruned) {
      expect([1, 3]).toContain(trial.epochsRun); // stopped exactly at a rung
      const { learningRate, batchSize } = trial.params;
      expect(trial.value).toBeCloseTo(learningRate * (9 - (trial.epochsRun - 1)) + batchSize / 1000, 10);
    }
    const summary = await store.summarizeStudy(study.id);
    const complete = rows.filter((t) => t.state === 'complete');
    expect(summary.counts.complete).toBe(complete.length);
    expect(summary.bestValue).toBe(Math.min(...complete.map((t) => t.value!)));
    expect(rows.find((t) => t.number === summary.bestTrialNumber)!.state).toBe('complete');
  }, 60_000);

  it('asks after a resume exactly what an uninterrupted run asked (strategy state from the store)', async () => {
    const whole = await createFixtureStudy(store, tpeSpec({ type: 'none' }));
    await runner(whole).run();
    const interrupted = await createFixtureStudy(store, tpeSpec({ type: 'none' }));
    let finished = 0;
    const first = runner(interrupted, (event) => {
      if (event.type === 'trial' && event.trial.state === 'complete' && ++finished === 6) first.pause();
    });
    expect((await first.run()).status).toBe('paused');
    const before = (await store.listTrials(interrupted.id, { limit: 100 })).total;
    expect(before).toBeLessThan(10);
    expect((await runner(await store.getStudy(interrupted.id)).run()).status).toBe('done');
    const params = async (id: number) => (await store.listTrials(id, { sort: 'number', limit: 100 })).rows.map((t) => t.params);
    expect(await params(interrupted.id)).toEqual(await params(whole.id));
  }, 60_000);
});
