import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Trial } from '../api/domain.js';
import { metricMismatches } from '../../tests/support/metricTolerance.js';
import { tempStore } from '../../tests/support/tempStore.js';
import { createTunebenchService, type TunebenchService } from './service.js';

// Real worker processes, real training on iris, a real SQLite file: the same grid packed and not.
const spec = (name: string, extra: string, epochs = 4, rates = '0.05, 0.1') => `
name: ${name}
dataset: builtin:iris
model: { type: mlp, hidden: [8] }
objective: { metric: val_accuracy, direction: maximize }
epochs: ${epochs}
space:
  optimizer: { choice: [sgd, adam] }
  learningRate: { choice: [${rates}] }
  batchSize: 16
seed: 4
${extra}
`;

let temp: Awaited<ReturnType<typeof tempStore>>;
let service: TunebenchService;

beforeAll(async () => {
  temp = await tempStore('tunebench-packed-');
  service = createTunebenchService({ store: temp.store, workDir: temp.dir });
});
afterAll(async () => {
  await service.close();
  await temp.cleanup();
});

async function sweep(name: string, extra: string, epochs?: number, rates?: string) {
  const study = await service.studies.create({ spec: spec(name, extra, epochs, rates), start: false });
  const outcome = await service.run(study, { workers: 1 });
  const { rows } = await service.trials.page({ study: study.id, limit: 10, sort: 'number' });
  const points = await service.trials.curves({ trialIds: rows.map((trial) => trial.id) });
  const curves = rows.map((trial) => {
    const byEpoch: Record<string, number>[] = [];
    for (const point of points.filter((p) => p.trialId === trial.id)) (byEpoch[point.epoch] ??= {})[point.name] = point.value;
    return byEpoch;
  });
  return { outcome, rows, curves };
}

/** A row with what legitimately differs between two runs (ids, times, worker names) blanked. */
const shapeOf = (trial: Trial) => ({ ...trial, id: 0, studyId: 0, startedAt: 0, endedAt: 0, durationMs: 0, heartbeatAt: 0, worker: '', value: 0 });

describe('a packed sweep through the engine, the worker and SQLite', () => {
  it('stores the same trials as the unpacked sweep: rows identical in shape, curves within 1e-3', async () => {
    const plain = await sweep('unpacked', '');
    const packed = await sweep('packed', 'packing: { maxTrials: 4 }');
    expect(plain.outcome).toEqual({ status: 'done', reason: null });
    expect(packed.outcome).toEqual({ status: 'done', reason: null });
    expect(packed.rows.map(shapeOf)).toEqual(plain.rows.map(shapeOf));
    expect(packed.rows.every((trial) => trial.state === 'complete' && trial.epochsRun === 4)).toBe(true);
    packed.rows.forEach((trial, i) => {
      expect(metricMismatches(plain.curves[i]!, packed.curves[i]!, { train: 120, val: 30 }), `trial ${trial.number}`).toEqual([]);
      expect(trial.value).toBeCloseTo(plain.rows[i]!.value!, 6);
    });
    // The four trained at once on one worker: their runs overlap in time.
    const [first, ...rest] = packed.rows;
    expect(rest.every((trial) => trial.startedAt! < first!.endedAt! && trial.worker === first!.worker)).toBe(true);
    expect(await temp.store.getArtifact(packed.rows[0]!.id, 'weights')).not.toBeNull();
  });

  it('is cancelled as four trials and resumed: each runs again (packed) and the study ends done', async () => {
    const study = await service.studies.create({ spec: spec('packed-resume', 'packing: { maxTrials: 4 }', 40), start: false });
    const unsubscribe = service.onEvent((event) => {
      if (event.type === 'epoch' && event.epoch === 1) void service.studies.cancel({ study: study.id });
    });
    const first = await service.run(study, { workers: 1 });
    unsubscribe();
    expect(first.status).toBe('cancelled');
    const cancelled = (await service.trials.page({ study: study.id, limit: 20, sort: 'number' })).rows;
    expect(cancelled.map((trial) => trial.state)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    const second = await service.run(await service.studies.get({ study: study.id }).then((detail) => detail.study), { workers: 1 });
    expect(second).toEqual({ status: 'done', reason: null });
    const { rows } = await service.trials.page({ study: study.id, limit: 20, sort: 'number' });
    const again = rows.filter((trial) => trial.retryOf !== null);
    expect(again.map((trial) => trial.state)).toEqual(['complete', 'complete', 'complete', 'complete']);
    expect(again.every((trial) => trial.epochsRun === 40)).toBe(true);
  });

  it('prunes members one by one at their rung (verdicts per member) while the pack trains on', async () => {
    // sgd at 0.0005 barely moves: ASHA stops it at a rung while the others go on.
    const packed = await sweep('packed-asha', 'packing: { maxTrials: 4 }\npruner: { type: asha, minEpochs: 1, reductionFactor: 2, noiseAware: false }', 6, '0.0005, 0.1');
    expect(packed.outcome.status).toBe('done');
    const states = packed.rows.map((trial) => trial.state);
    expect(states).toContain('pruned');
    expect(states).toContain('complete');
    for (const [i, trial] of packed.rows.entries()) {
      expect(['complete', 'pruned']).toContain(trial.state);
      expect(packed.curves[i]).toHaveLength(trial.epochsRun);
    }
  });
});
