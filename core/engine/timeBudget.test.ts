import { describe, expect, it } from 'vitest';
import { parseSpecText } from '../space/parseSpec.js';
import { StudyRun } from './studyRun.js';
import { createFixtureStudy, fixtureSpawner, storePerTest, testEngineOwner } from '../../tests/support/engine.js';

const env = storePerTest();

describe('limits.maxMinutes (a run\'s wall-clock budget)', () => {
  it('starts no trial once the budget is spent; the running ones finish, and the outcome says why it ended', async () => {
    // learningRate 0.4 makes the scripted worker sleep 200 ms an epoch: a 5-epoch trial takes at
    // least 1 s, longer than the whole 0.6 s budget, so no lane may ask a second trial.
    const study = await createFixtureStudy(env.store, {
      epochs: 5,
      space: { optimizer: 'sgd', learningRate: 0.4, batchSize: { choice: [8, 16, 32] } },
      search: { strategy: 'random', trials: 20, seed: 1 },
      limits: { maxMinutes: 0.01 },
    });
    const run = new StudyRun({ store: env.store, owner: testEngineOwner, spawner: fixtureSpawner(), study, workers: 2, baseDir: env.dir, emit: () => {} });
    const outcome = await run.run();
    expect(outcome.reason).toMatch(/^time budget of 0\.01 min spent/);
    const { rows } = await env.store.listTrials(study.id, { sort: 'number', limit: 100 });
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.every((trial) => trial.state === 'complete' && trial.epochsRun === 5)).toBe(true);
    expect((await env.store.getStudy(study.id)).statusReason).toBe(outcome.reason);
  }, 60_000);

  it('is checked in the spec: a budget must be a positive number of minutes', () => {
    const text = 'dataset: builtin:iris\nspace: { optimizer: sgd, learningRate: 0.1, batchSize: 8 }\nlimits: { maxMinutes: 0 }\n';
    expect(() => parseSpecText(text, 'spec.yaml')).toThrow('/limits/maxMinutes: must be above 0');
  });
});
