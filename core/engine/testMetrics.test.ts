import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../api/contract.js';
import { withTestMetrics } from '../store/testMetrics.js';
import { StudyRun } from './studyRun.js';
import { createFixtureStudy, fixtureSpawner, storePerTest, testEngineOwner } from '../../tests/support/engine.js';

const env = storePerTest();

describe('test metrics in the engine', () => {
  it('keeps test_* out of live events and curves, and stores only the best epoch\'s', async () => {
    // The scripted worker's val_loss falls every epoch, so the best epoch is the last (3), and
    // its test_loss is 100 + epoch.
    const study = await createFixtureStudy(env.store, {
      epochs: 4,
      testSplit: 0.2,
      space: { optimizer: 'adam', learningRate: { choice: [0.01, 0.02] }, batchSize: 8 },
      objective: { metric: 'val_loss', direction: 'minimize' },
    });
    const events: ApiEvent[] = [];
    const run = new StudyRun({ store: env.store, owner: testEngineOwner, spawner: fixtureSpawner(), study, workers: 1, baseDir: env.dir, emit: (event) => events.push(event) });
    expect(await run.run()).toEqual({ status: 'done', reason: null });
    const epochEvents = events.filter((event) => event.type === 'epoch');
    expect(epochEvents).toHaveLength(8);
    expect(epochEvents.some((event) => Object.keys(event.metrics).some((name) => name.startsWith('test_')))).toBe(false);

    const { rows } = await env.store.listTrials(study.id, { sort: 'number' });
    const points = await env.store.getMetrics(rows.map((trial) => trial.id), ['test_loss']);
    expect(points.map(({ epoch, value }) => ({ epoch, value }))).toEqual([
      { epoch: 3, value: 103 },
      { epoch: 3, value: 103 },
    ]);
    expect(rows.every((trial) => trial.bestEpoch === 3)).toBe(true);
    const withTest = await withTestMetrics(env.store, rows);
    expect(withTest.map((trial) => trial.testMetrics)).toEqual([{ test_loss: 103 }, { test_loss: 103 }]);
  });
});
