import { createHash, type Hash } from 'node:crypto';
import type { Task } from '../api/domain.js';

/**
 * sha256 (hex) of the source bytes followed by the target, task and dropped columns, so a changed
 * file, or the same file read with another target, task or columns, gets another fingerprint.
 * No dropped columns adds nothing, so fingerprints recorded before dropColumns existed still match.
 */
export function datasetFingerprint(source: readonly Uint8Array[], target: string, task: Task, dropColumns: readonly string[] = []): string {
  const hash = createHash('sha256');
  for (const part of source) hash.update(part);
  return finishFingerprint(hash, target, task, dropColumns);
}

/** datasetFingerprint from a sha256 already fed the source bytes (a file hashed as it streamed by). */
export function finishFingerprint(hash: Hash, target: string, task: Task, dropColumns: readonly string[] = []): string {
  hash.update(`\0target=${target}\0task=${task}`, 'utf8');
  if (dropColumns.length > 0) hash.update(`\0drop=${JSON.stringify([...dropColumns].sort())}`, 'utf8');
  return hash.digest('hex');
}

/** The fingerprint a CSV's bytes give when read as a stored dataset says (its target and task) with these dropped columns. */
export function fingerprintOfBytes(bytes: Uint8Array, info: { target: string; task: Task }, dropColumns: readonly string[] = []): string {
  return datasetFingerprint([bytes], info.target, info.task, dropColumns);
}
