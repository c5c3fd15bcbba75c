import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../tests/support/cli.js';
import { createFixtureStudy, tempStore } from '../../tests/support/engine.js';
import { studyImportance } from '../importance/studyImportance.js';
import type { Store } from '../store/store.js';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
let ref: string;

beforeEach(async () => {
  ({ store, dir, cleanup } = await tempStore());
  // A recorded 2 x 3 grid: val_loss falls with the rate; adam at 0.1 reaches 0.1 at epoch 2.
  const study = await createFixtureStudy(store, {
    epochs: 4,
    space: { optimizer: { choice: ['sgd', 'adam'] }, learningRate: { choice: [0.001, 0.01, 0.1] }, batchSize: 32 },
    objective: { metric: 'val_loss', direction: 'minimize' },
  });
  ref = String(study.id);
  for (const optimizer of ['sgd', 'adam'] as const) {
    for (const learningRate of [0.001, 0.01, 0.1]) {
      const trial = await store.createTrial(study.id, { optimizer, learningRate, batchSize: 32, lrSchedule: 'constant' }, 1, 0);
      await store.markTrialRunning(trial.id, 'w', 0);
      const floor = (optimizer === 'adam' ? 0 : 0.2) + (0.1 - learningRate);
      const curve = [0.9, 0.5, floor + 0.1, floor + 0.2];
      const points = curve.flatMap((value, epoch) => [{ trialId: trial.id, epoch, name: 'val_loss', value }, { trialId: trial.id, epoch, name: 'loss', value: value * 2 }]);
      await store.finishTrial(trial.id, { state: 'complete', value: Math.min(...curve), bestEpoch: 2, epochsRun: 4, endedAt: 1, error: null, backend: 'fixture' }, points);
    }
  }
});
afterEach(async () => cleanup());

describe('tunebench replay and export --format curves', () => {
  it('prints the JSON the issue specifies, one entry per combination', () => {
    const db = join(dir, 'test.db');
    const result = runCli(['replay', ref, '--db', db, '--strategy', 'random,tpe', '--pruner', 'none,asha', '--seeds', '5', '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { results: { strategy: string; pruner: string; seeds: number; reached: number; epochsToTarget: { median: number; q1: number; q3: number } }[]; gridEpochs: number };
    expect(report.gridEpochs).toBe(24);
    expect(report.results.map((r) => [r.strategy, r.pruner, r.seeds, r.reached])).toEqual([
      ['random', 'none', 5, 5],
      ['random', 'asha', 5, 5],
      ['tpe', 'none', 5, 5],
      ['tpe', 'asha', 5, 5],
    ]);
    for (const r of report.results) expect(r.epochsToTarget.q1 <= r.epochsToTarget.median && r.epochsToTarget.median <= r.epochsToTarget.q3).toBe(true);
    const grid = JSON.parse(runCli(['replay', ref, '--db', db, '--strategy', 'grid', '--seeds', '2', '--json']).stdout) as typeof report;
    // The grid walks sgd's three rates (12 epochs), then adam 0.001 and 0.01 (8), then 3 epochs of adam 0.1.
    expect(grid.results[0]!.epochsToTarget).toEqual({ median: 23, q1: 23, q3: 23 });
  });

  it('show --importance prints what the API studies.importance answers', async () => {
    const db = join(dir, 'test.db');
    const result = runCli(['show', ref, '--db', db, '--importance', '--json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const expected = await studyImportance(store, await store.getStudy(Number(ref)));
    expect(JSON.parse(result.stdout)).toEqual(expected);
    expect(expected).toMatchObject({ method: 'ped-anova', trials: 6 });
    expect(expected.importance.map((entry) => entry.name).sort()).toEqual(['learningRate', 'optimizer']);
    const text = runCli(['show', ref, '--db', db, '--importance']);
    expect(text.stdout).toContain('parameter importance (PED-ANOVA, top 10% of 6 complete trials vs all)');
  });

  it('refuses an unknown strategy with exit 2 naming the option', () => {
    const result = runCli(['replay', ref, '--db', join(dir, 'test.db'), '--strategy', 'tpe,bayes']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--strategy: unknown "bayes"');
  });

  it('exports every curve as long-format CSV', () => {
    const result = runCli(['export', ref, '--db', join(dir, 'test.db'), '--format', 'curves']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('trial,optimizer,learningRate,batchSize,lrSchedule,epoch,metric,value');
    expect(lines).toHaveLength(1 + 6 * 4 * 2);
    expect(lines).toContain('5,adam,0.1,32,constant,2,val_loss,0.1');
  });
});
