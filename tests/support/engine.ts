import { fileURLToPath } from 'node:url';
import type { DatasetInfo, Study } from '../../core/api/domain.js';
import type { StudySpecInput } from '../../core/api/spec.js';
import { validateSpec } from '../../core/space/parseSpec.js';
import { createStrategy } from '../../core/strategies/createStrategy.js';
import { tempStore as tempStoreIn } from './tempStore.js';
import type { LeaseOwner, Store } from '../../core/store/store.js';
import { createForkSpawner } from '../../core/engine/forkSpawner.js';

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
