import type { TrialState } from './domain.js';

/**
 * Planned trials that are done, each counted once (a summary's counts hold the latest attempt of
 * each): complete, pruned or failed. A cancelled trial runs again on resume, so it is not done;
 * after Ctrl-C a study with nothing finished reads 0 of N, not 1 of N. Zod-free: the renderer
 * bundles it.
 */
export function finishedCount(counts: Record<TrialState, number>): number {
  return counts.complete + counts.failed + counts.pruned;
}
