import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { createFixtureStudy, tempStore } from '../../tests/support/export.js';

describe('trial artifacts', () => {
  let store: Store;
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, dir, cleanup } = await tempStore()));
  afterEach(() => cleanup());

  it('live in a folder beside the database, recorded per trial and kind, replaced on a second put', async () => {
    const { trials } = await createFixtureStudy(store, { name: 'a', direction: 'maximize', trials: [{ params: {}, value: 0.5 }] });
    const trialId = trials[0]!.id;
    expect(store.artifactRoot).toBe(join(dir, 'test.db.artifacts'));
    expect(await store.getArtifact(trialId, 'weights')).toBeNull();
    await store.putArtifact(trialId, 'weights', join(dir, 'test.db.artifacts', 'trial-1'));
    await store.putArtifact(trialId, 'weights', join(dir, 'test.db.artifacts', 'trial-1b'));
    expect(await store.getArtifact(trialId, 'weights')).toBe(join(dir, 'test.db.artifacts', 'trial-1b'));
  });

  it('refuses a path outside the folder and an unknown trial', async () => {
    const { trials } = await createFixtureStudy(store, { name: 'b', direction: 'maximize', trials: [{ params: {}, value: 0.5 }] });
    await expect(store.putArtifact(trials[0]!.id, 'weights', join(dir, 'elsewhere'))).rejects.toMatchObject({ code: 'ARGUMENT_INVALID' });
    await expect(store.putArtifact(9999, 'weights', join(dir, 'test.db.artifacts', 'x'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
