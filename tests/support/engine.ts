import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';
import type { DatasetInfo, Study } from '../../core/api/domain.js';
import type { StudySpecInput } from '../../core/api/spec.js';
import { validateSpec } from '../../core/space/parseSpec.js';
import { createStrategy } from '../../core/strategies/createStrategy.js';
import { tempStore as tempStoreIn } from './tempStore.js';
import type { LeaseOwner, Store } from '../../core/store/store.js';
import { createForkSpawner } from '../../core/engine/forkSpawner.js';
import { createTunebenchService, type TunebenchService } from '../../core/engine/service.js';

/** The scripted worker: a real process whose trials complete, crash, hang or diverge on cue. */
export const fixtureSpawner = () => createForkSpawner({ script: fileURLToPath(new URL('./scriptedWorker.mjs', import.meta.url)) });

export const fixtureDataset: DatasetInfo = {
  key: 'builtin:fixture',
  name: 'fixture',
  source: 'builtin',
  path: null,
  fingerprint: 'f'.repeat(64),
  rows: 100,
  columns: [],
  target: 'y',
  task: 'regression',
  classes: null,
  featureCount: 1,
  imageShape: null,
  description: 'no data: the scripted worker ignores it',
};

export const tempStore = () => tempStoreIn('tunebench-engine-');

export async function createFixtureStudy(store: Store, overrides: Partial<StudySpecInput> & Pick<StudySpecInput, 'space'>): Promise<Study> {
  const spec = validateSpec({ dataset: 'builtin:fixture', epochs: 3, ...overrides });
  return store.createStudy({
    name: `study-${Math.random().toString(36).slice(2, 8)}`,
    spec,
    plannedTrials: createStrategy(spec).plannedTrials,
    dataset: fixtureDataset,
    appVersion: 'test',
  });
}

/** The lease owner a test's engine runs as (this process). */
export const testEngineOwner: LeaseOwner = { ownerId: 'test-engine', host: 'test-host', pid: process.pid };

/**
 * A fresh temp store and a service on the scripted worker for each test of the calling file
 * (registers beforeEach/afterEach); read its fields inside the tests.
 */
export function fixtureServicePerTest(): { store: Store; dir: string; service: TunebenchService } {
  const current = {} as { store: Store; dir: string; service: TunebenchService; cleanup: () => Promise<void> };
  beforeEach(async () => {
    Object.assign(current, await tempStore());
    current.service = createTunebenchService({ store: current.store, spawner: fixtureSpawner(), workDir: current.dir, datasetsDir: current.dir, workers: 1, slot: { heartbeatGraceMs: 5_000, killGraceMs: 300 } });
  });
  afterEach(async () => {
    await current.service.close();
    await current.cleanup();
  });
  return current;
}

/** A fresh temp store for each test of the calling file (registers beforeEach/afterEach). */
export function storePerTest(): { store: Store; dir: string } {
  const current = {} as { store: Store; dir: string; cleanup: () => Promise<void> };
  beforeEach(async () => {
    Object.assign(current, await tempStore());
  });
  afterEach(async () => current.cleanup());
  return current;
}
