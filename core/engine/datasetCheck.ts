import type { Study } from '../api/domain.js';
import { toPlainError } from '../api/errors.js';
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Task } from '../api/domain.js';
import { finishFingerprint } from '../data/fingerprint.js';

/**
 * Why a study's CSV can no longer train it (changed since the study recorded its fingerprint,
 * moved or unreadable), or null when it matches. Run once before any trial starts, so a changed
 * file pauses the study instead of failing every trial against it (RELIABILITY row 45).
 * Built-in datasets ship with the app and are not re-read here. Only the bytes are hashed, not
 * parsed: the fingerprint is theirs plus target, task and dropped columns, and the same bytes
 * infer the same task, so either task's fingerprint matching means the very file the study read.
 */
export async function datasetChange(study: Study, baseDir: string): Promise<string | null> {
  const ref = study.spec.dataset;
  if (typeof ref === 'string') return null;
  let hash: Hash;
  try {
    hash = await hashFile(resolve(baseDir, ref.csv));
  } catch (error) {
    return `dataset ${ref.csv} cannot be read: ${toPlainError(error).message}; restore the file the study was started with, then resume`;
  }
  const tasks: Task[] = ref.task ? [ref.task] : ['classification', 'regression'];
  const found = tasks.map((task) => finishFingerprint(hash.copy(), ref.target, task, ref.dropColumns));
  if (found.includes(study.datasetFingerprint)) return null;
  return (
    `dataset ${ref.csv} has changed since the study started (fingerprint ${found[0]!.slice(0, 12)}…, the study recorded ` +
    `${study.datasetFingerprint.slice(0, 12)}…); restore the file, then resume`
  );
}

async function hashFile(path: string): Promise<Hash> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash;
}
