import { describe, expect, it } from 'vitest';
import type { StudySpecInput } from '../api/spec.js';
import { createStrategy } from '../strategies/createStrategy.js';
import { warmStartHistory } from '../strategies/warmStart.js';
import { fixtureServicePerTest } from '../../tests/support/engine.js';

const env = fixtureServicePerTest();

// The scripted worker's val_loss is lr + batchSize / 1000 at the last epoch: small rates and batches win.
const spec = (search: Record<string, unknown>, overrides: Partial<StudySpecInput> = {}) => ({
  dataset: 'builtin:iris',
  epochs: 2,
  space: { optimizer: { choice: ['sgd', 'adam'] }, learningRate: { logUniform: [0.0001, 0.2] }, batchSize: { choice: [8, 16] } },
  objective: { metric: 'val_loss', direction: 'minimize' },
  search: { strategy: 'tpe', seed: 9, startupTrials: 8, ...search },
  ...overrides,
});

async function trialsOf(studyId: number) {
  return (await env.store.listTrials(studyId, { sort: 'number', limit: 100 })).rows;
}

describe('TPE warm start', () => {
  it('fits on a compatible study from the first ask, where a cold start asks Sobol points', async () => {
    const old = await env.service.studies.create({ spec: spec({ trials: 16 }), name: 'old', start: false });
    expect((await env.service.run(old)).status).toBe('done');
    const warm = await env.service.studies.create({ spec: spec({ trials: 4, warmStart: 'old', seed: 4 }), name: 'warm', start: false });
    const cold = await env.service.studies.create({ spec: spec({ trials: 4, seed: 4 }), name: 'cold', start: false });
    await env.service.run(warm);
    await env.service.run(cold);
    const [warmTrials, coldTrials] = [await trialsOf(warm.id), await trialsOf(cold.id)];
    // Same seed: the cold study's first asks are Sobol start-up points, the warm one's are not.
    expect(warmTrials[0]!.params).not.toEqual(coldTrials[0]!.params);
    // Its first ask is TPE's fitted on the old study's 16 trials (after 8 start-up points, TPE
    // explores as Optuna's does, so later asks are not all in the old study's best corner).
    const oldTrials = await trialsOf(old.id);
    const warmSpec = (await env.store.getStudy(warm.id)).spec;
    expect(warmTrials[0]!.params).toEqual(createStrategy(warmSpec, warmStartHistory(oldTrials, warmSpec)).ask([]));
    expect(createStrategy(warmSpec).ask([])).toEqual(coldTrials[0]!.params);
    expect(warmTrials[0]!.params.batchSize === 8 && warmTrials[0]!.params.learningRate < 0.005).toBe(true);
    expect((await env.store.getStudy(warm.id)).spec.search).toMatchObject({ warmStart: 'old' });
  });

  it('refuses an incompatible study, an unknown one, and says what differs', async () => {
    const old = await env.service.studies.create({ spec: spec({ trials: 2 }), name: 'old', start: false });
    await env.service.run(old);
    const refusals: [Record<string, unknown>, Partial<StudySpecInput>, RegExp][] = [
      [{ trials: 2, warmStart: 'old' }, { objective: { metric: 'val_accuracy', direction: 'maximize' } }, /objective minimize val_loss differs from maximize val_accuracy/],
      [{ trials: 2, warmStart: 'old' }, { space: { optimizer: 'sgd', learningRate: { uniform: [0.001, 0.2] }, batchSize: { choice: [8, 16] } } }, /learningRate is log-scale real there but linear real here/],
      [{ trials: 2, warmStart: 'old' }, { space: { optimizer: { choice: ['sgd', 'momentum'] }, learningRate: { logUniform: [0.0001, 0.2] }, batchSize: { choice: [8, 16] }, momentum: { uniform: [0.5, 0.9] } } }, /momentum is not in its space/],
      [{ trials: 2, warmStart: 'nope' }, {}, /no study named or numbered "nope"/],
    ];
    for (const [search, overrides, message] of refusals) {
      await expect(env.service.studies.create({ spec: spec(search, overrides), start: false })).rejects.toMatchObject({
        code: 'ARGUMENT_INVALID', message: expect.stringMatching(message), issues: expect.arrayContaining([expect.objectContaining({ where: '/search/warmStart' })]),
      });
    }
    expect((await env.store.listStudies()).map((s) => s.name)).toEqual(['old']);
  });
});
