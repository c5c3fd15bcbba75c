import { createHash } from 'node:crypto';
import type { Task } from '../api/domain.js';

/**
 * sha256 (hex) of the source bytes followed by the target and task, so a changed file, or the same
 * file read with another target or task, gets another fingerprint.
 */
export function datasetFingerprint(source: readonly Uint8Array[], target: string, task: Task): string {
  const hash = createHash('sha256');
  for (const part of source) hash.update(part);
  hash.update(`\0target=${target}\0task=${task}`, 'utf8');
  return hash.digest('hex');
}
