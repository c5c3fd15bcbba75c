import { describe, expect, it } from 'vitest';
import type { StudySpecInput } from '../api/spec.js';
import { seedStats } from '../api/seedStats.js';
import { createFixtureStudy, fixtureServicePerTest } from '../../tests/support/engine.js';

const env = fixtureServicePerTest();

const space: StudySpecInput['space'] = { optimizer: { choice: ['sgd', 'adam'] }, learningRate: { logUniform: [0.001, 0.2] }, batchSize: { choice: [8, 16] } };
const searches: Exclude<StudySpecInput['search'], { strategy: 'grid' } | undefined>[] = [
  { strategy: 'random', trials: 4, seed: 3 },
  { strategy: 'sobol', trials: 4, seed: 3 },
  { strategy: 'tpe', trials: 4, seed: 3, startupTrials: 2 },
];

async function paramsOf(studyId: number) {
  const { rows } = await env.store.listTrials(studyId, { sort: 'number', limit: 1000 });
  return rows;
}

describe('extend', () => {
  it.each(searches)('continues $strategy exactly as one longer run would have asked', async (search) => {
    const study = await createFixtureStudy(env.store, { space, search });
    expect((await env.service.run(study)).status).toBe('done');
    const extended = await env.service.studies.extend({ study: study.id, trials: 3, start: false });
    expect(extended.plannedTrials).toBe(7);
    expect((await env.service.run(extended)).status).toBe('done');

    const longer = await createFixtureStudy(env.store, { space, search: { ...search, trials: 7 } });
    expect((await env.service.run(longer)).status).toBe('done');
    const [grown, straight] = [await paramsOf(study.id), await paramsOf(longer.id)];
    expect(grown.map((t) => t.state)).toEqual(Array(7).fill('complete'));
    expect(grown.map((t) => t.params)).toEqual(straight.map((t) => t.params));
    expect((await env.store.summarizeStudy(study.id)).counts.complete).toBe(7);
  });

  it('refuses a grid study, saying why, and changes nothing', async () => {
    const study = await createFixtureStudy(env.store, { space: { ...space, learningRate: { choice: [0.01, 0.1] } }, search: { strategy: 'grid' } });
    await env.service.run(study);
    await expect(env.service.studies.extend({ study: study.id, trials: 2 })).rejects.toMatchObject({ code: 'ARGUMENT_INVALID', message: expect.stringMatching(/grid search: every point of its grid has been asked/) });
    expect((await env.store.getStudy(study.id)).plannedTrials).toBe(8);
  });
});

describe('rerun', () => {
  it('trains the top K configurations again with new seeds, unpruned, and the strategy still continues as before', async () => {
    const search = { strategy: 'random' as const, trials: 5, seed: 11 };
    const pruner = { type: 'asha' as const, minEpochs: 1, reductionFactor: 2, noiseAware: false };
    const study = await createFixtureStudy(env.store, { space, search, pruner, epochs: 4 });
    await env.service.run(study);
    const before = await paramsOf(study.id);
    const best = before.filter((t) => t.state === 'complete').sort((a, b) => a.value! - b.value!);

    const planned = await env.service.studies.rerun({ study: study.id, top: 2, seeds: 3, start: false });
    expect(planned.plannedTrials).toBe(11);
    expect(planned.spec.reruns?.map((r) => r.trial)).toEqual(best.slice(0, 2).map((t) => t.number));
    await env.service.run(planned);
    const after = await paramsOf(study.id);
    const reruns = after.slice(5);
    expect(reruns).toHaveLength(6);
    expect(reruns.map((t) => t.params)).toEqual([...Array(3).fill(best[0]!.params), ...Array(3).fill(best[1]!.params)]);
    expect(reruns.every((t) => t.state === 'complete' && t.epochsRun === 4)).toBe(true); // never pruned
    expect(new Set(after.map((t) => t.seed)).size).toBe(11); // every seed new

    const stats = seedStats(after, 'minimize');
    expect(stats.map((s) => s.trialNumbers)).toEqual([[best[0]!.number, 5, 6, 7], [best[1]!.number, 8, 9, 10]]);
    expect(stats[0]!.interval[0]).toBeLessThanOrEqual(stats[0]!.mean);

    // Running again re-runs nothing; extending asks what a 7-trial random study asks next.
    await env.service.run(await env.service.study(study.id));
    expect(await paramsOf(study.id)).toHaveLength(11);
    await env.service.run(await env.service.studies.extend({ study: study.id, trials: 2, start: false }));
    const longer = await createFixtureStudy(env.store, { space, search: { ...search, trials: 7 }, pruner, epochs: 4 });
    await env.service.run(longer);
    expect((await paramsOf(study.id)).slice(11).map((t) => t.params)).toEqual((await paramsOf(longer.id)).slice(5).map((t) => t.params));
  });

  it('re-runs one trial with another seed (the trial page action), and a second time with yet another', async () => {
    const study = await createFixtureStudy(env.store, { space, search: { strategy: 'random', trials: 2, seed: 1 } });
    await env.service.run(study);
    const [first] = await paramsOf(study.id);
    await env.service.run(await env.service.studies.rerun({ study: study.id, trialIds: [first!.id], seeds: 1, start: false }));
    await env.service.run(await env.service.studies.rerun({ study: study.id, trialIds: [first!.id], seeds: 1, start: false }));
    const rows = await paramsOf(study.id);
    expect(rows.slice(2).map((t) => t.params)).toEqual([first!.params, first!.params]);
    expect(new Set([first!.seed, rows[2]!.seed, rows[3]!.seed]).size).toBe(3);
  });

  it('refuses a trial of another study and a trial that did not complete', async () => {
    const a = await createFixtureStudy(env.store, { space, search: { strategy: 'random', trials: 1, seed: 1 } });
    const b = await createFixtureStudy(env.store, { space: { ...space, learningRate: 0.5 }, search: { strategy: 'random', trials: 1, seed: 1 } });
    await env.service.run(a);
    await env.service.run(b); // lr 0.5: the scripted worker exits, so its trial fails
    const [trialA] = await paramsOf(a.id);
    const [trialB] = await paramsOf(b.id);
    await expect(env.service.studies.rerun({ study: b.id, trialIds: [trialA!.id], seeds: 1 })).rejects.toMatchObject({ code: 'ARGUMENT_INVALID', message: expect.stringMatching(/not a trial of study/) });
    await expect(env.service.studies.rerun({ study: b.id, trialIds: [trialB!.id], seeds: 1 })).rejects.toMatchObject({ code: 'ARGUMENT_INVALID', message: expect.stringMatching(/only a complete trial can be re-run/) });
    await expect(env.service.studies.rerun({ study: b.id, seeds: 1 })).rejects.toMatchObject({ code: 'ARGUMENT_INVALID', message: expect.stringMatching(/no complete trial/) });
  });
});
