import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ApiEvent } from '../api/contract.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import type { Store } from '../store/store.js';
import { followStore } from './changeFeed.js';
import { createFixtureStudy, tempStore } from '../../tests/support/engine.js';

let store: Store;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ store, dir, cleanup } = await tempStore());
});
afterEach(async () => cleanup());

const until = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  return check();
};

it('reports another connection’s new study, trials and epochs, and a dead owner’s study turning interrupted', async () => {
  const events: ApiEvent[] = [];
  const stop = followStore(store, (event) => events.push(event), { intervalMs: 50, isOwnedHere: () => false });
  await new Promise((resolve) => setTimeout(resolve, 120)); // the first poll records, it does not replay
  const writer = await openSqliteStore(join(dir, 'test.db'));
  const study = await createFixtureStudy(writer, { space: { optimizer: 'sgd', learningRate: 0.1, batchSize: 8 } });
  await writer.acquireLease(study.id, { ownerId: 'cli', host: 'h', pid: 1 }, Date.now(), 600);
  const trial = await writer.createTrial(study.id, { optimizer: 'sgd', learningRate: 0.1, batchSize: 8, lrSchedule: 'constant' }, 1);
  await writer.markTrialRunning(trial.id, 'w0', Date.now());
  expect(await until(() => events.some((e) => e.type === 'study' && e.study.id === study.id))).toBe(true);
  expect(await until(() => events.some((e) => e.type === 'trial' && e.trial.id === trial.id && e.trial.state === 'running'))).toBe(true);
  await writer.appendMetrics([{ trialId: trial.id, epoch: 0, name: 'val_loss', value: 0.5 }]);
  expect(await until(() => events.some((e) => e.type === 'trial' && e.trial.id === trial.id && e.trial.epochsRun === 1))).toBe(true);
  await writer.close(); // the owner "dies": it writes nothing more
  expect(await until(() => events.some((e) => e.type === 'study' && e.study.status === 'interrupted'), 3_000)).toBe(true);
  stop();
});
