import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxTrialTimeoutSeconds, studySpecSchema } from '../../core/api/spec.js';
import { StudyRun } from '../../core/engine/studyRun.js';
import { validateSpec } from '../../core/space/parseSpec.js';
import type { Store } from '../../core/store/store.js';
import { createStrategy } from '../../core/strategies/createStrategy.js';
import { fixtureDataset, fixtureSpawner, tempStore, testEngineOwner } from '../support/engine.js';
import { tally } from './tally.js';

// RELIABILITY row 44: a timeout beyond a timer's range is rejected, or (stored before the check) none.
let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
afterEach(async () => cleanup());

const space = { optimizer: 'sgd', learningRate: { choice: [0.01, 0.02] }, batchSize: 8 } as const;

describe('trial timeouts beyond what a timer holds', () => {
  it.each([3e6, 1e9, Number.MAX_SAFE_INTEGER])('validate refuses trialTimeoutSeconds %d naming the field', (seconds) => {
    expect(() => validateSpec({ dataset: 'builtin:iris', space, limits: { trialTimeoutSeconds: seconds } })).toThrow(
      /limits\/trialTimeoutSeconds: .*at most 2147483 seconds/,
    );
    tally('badInputsTried');
  });

  it('accepts the longest timeout a timer holds', () => {
    const spec = validateSpec({ dataset: 'builtin:iris', space, limits: { trialTimeoutSeconds: maxTrialTimeoutSeconds } });
    expect(spec.limits.trialTimeoutSeconds).toBe(2_147_483);
  });

  it('a huge timeout stored before the check means no limit, never 1 ms', async () => {
    const valid = studySpecSchema.parse({ dataset: 'builtin:fixture', epochs: 3, space });
    const spec = { ...valid, limits: { ...valid.limits, trialTimeoutSeconds: 1e9 } };
    const study = await store.createStudy({ name: 'huge-timeout', spec, plannedTrials: createStrategy(spec).plannedTrials, dataset: fixtureDataset, appVersion: 'test' });
    const run = new StudyRun({ store, owner: testEngineOwner, spawner: fixtureSpawner(), study, workers: 1, baseDir: dir, emit: () => {}, slot: { heartbeatGraceMs: 1_500, killGraceMs: 300 }, cancelGraceMs: 500 });
    expect(await run.run()).toEqual({ status: 'done', reason: null });
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 10 });
    expect(rows.map((trial) => [trial.state, trial.error])).toEqual([['complete', null], ['complete', null]]);
  });
});
