import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { seededRng } from '../../core/data/rng.js';
import { unsafeUniformIntDistribution } from 'pure-rand';
import { openSqliteStore } from '../../core/store/sqliteStore.js';
import { completed, curve, sampleParams, sampleStudy } from '../support/storeFixtures.js';

// Database files for the fault suite: a populated Tunebench file, damage, digests.

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** A closed Tunebench database with `studies` studies of 20 finished trials each (WAL checkpointed). */
export async function populatedDatabase(path: string, studies = 2, prefix = 'study'): Promise<void> {
  let clock = 1_700_000_000_000; // fixed times: the same seed damages the same bytes on every run
  const store = await openSqliteStore(path, { now: () => (clock += 1000) });
  for (let s = 0; s < studies; s++) {
    const study = await store.createStudy(sampleStudy(`${prefix}-${s}`));
    for (let i = 0; i < 20; i++) {
      const trial = await store.createTrial(study.id, sampleParams('adam', 0.001 * (i + 1)), i);
      await store.markTrialRunning(trial.id, 'w', 1);
      await store.finishTrial(trial.id, completed(1 / (i + 1)), curve(trial.id, 'val_loss', [3, 2, 1 / (i + 1)]));
    }
  }
  await store.close();
}

/**
 * Writes 256 seeded random bytes near the start of a seeded random page past the first (the
 * schema page): over the b-tree page header and cell pointers, where SQLite can see the damage
 * (random bytes inside a stored value are, to SQLite, just another value).
 */
export function damagePage(bytes: Buffer, seed: number): Buffer {
  const copy = Buffer.from(bytes);
  const pageSize = copy.readUInt16BE(16);
  const pages = Math.floor(copy.length / pageSize);
  const rng = seededRng(seed);
  const next = (max: number) => unsafeUniformIntDistribution(0, max - 1, rng);
  const page = 1 + next(pages - 1);
  const at = page * pageSize + next(64);
  for (let i = 0; i < 256; i++) copy[at + i] = next(256);
  return copy;
}

/** True when this machine lets a process mount a tmpfs in its own user and mount namespace. */
export function canUseMountNamespace(): boolean {
  return spawnSync('unshare', ['-rm', 'true']).status === 0;
}
