import type { Store } from '../store/store.js';

/** Why a run ended once its limits.maxMinutes was spent: one wording for every study owner. */
export function budgetSpentReason(minutes: number): string {
  return `time budget of ${minutes} min spent`;
}

/**
 * The outcome of a run that ran out of trials or of time (a one-process StudyRun or the shared
 * queue's owner): done when a trial completed, else failed (a sweep of timeouts is not done); the
 * reason names a spent budget.
 */
export async function outcomeOfFinishedRun(store: Store, studyId: number, spentBudgetMinutes: number | null): Promise<{ status: 'done' | 'failed'; reason: string | null }> {
  const { counts } = await store.summarizeStudy(studyId);
  const budget = spentBudgetMinutes === null ? null : budgetSpentReason(spentBudgetMinutes);
  if (counts.complete > 0) return { status: 'done', reason: budget };
  return { status: 'failed', reason: `${budget ? `${budget}: ` : ''}no trial completed (${counts.failed} failed, ${counts.pruned} pruned)` };
}
