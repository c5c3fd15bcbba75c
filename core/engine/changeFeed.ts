import type { ApiEvent } from '../api/contract.js';
import type { StudySummary, Trial } from '../api/domain.js';
import type { ChangeMark, Store } from '../store/store.js';

export interface FollowOptions {
  intervalMs: number;
  /** Studies run by this process emit their own events; the feed reports the others'. */
  isOwnedHere(studyId: number): boolean;
  /** Recent trials re-read per changed study: enough to cover every lane of a sweep. */
  recentTrials?: number;
}

const studySignature = (study: StudySummary) =>
  JSON.stringify([study.name, study.status, study.statusReason, study.counts, study.bestValue, study.owner?.ownerId ?? null, study.notes, study.tags]);
const trialSignature = (trial: Trial) => `${trial.state}:${trial.epochsRun}:${trial.value}`;

/**
 * Follows writes by other processes (a CLI sweep while the dashboard is open): polls the store's
 * change mark, which costs one pragma when nothing moved, and only then re-reads the studies and
 * their recent trials, emitting study/trial events for rows that changed. Returns `stop`.
 */
export function followStore(store: Store, emit: (event: ApiEvent) => void, options: FollowOptions): () => void {
  const studies = new Map<number, string>();
  const trials = new Map<number, string>();
  let mark: ChangeMark | null = null;
  let isBusy = false;
  let isFirst = true;
  // A dead owner writes nothing: its study turns interrupted when the lease expires, so re-read then.
  let nextExpiry = Number.POSITIVE_INFINITY;

  async function poll(): Promise<void> {
    const next = await store.changeMark();
    if (next === mark && Date.now() < nextExpiry) return;
    mark = next;
    nextExpiry = Number.POSITIVE_INFINITY;
    for (const study of await store.listStudies()) {
      if (study.owner && !options.isOwnedHere(study.id)) nextExpiry = Math.min(nextExpiry, study.owner.expiresAt);
      const signature = studySignature(study);
      const hasChanged = studies.get(study.id) !== signature;
      studies.set(study.id, signature);
      if (options.isOwnedHere(study.id) || (!hasChanged && study.status !== 'running')) continue;
      if (hasChanged && !isFirst) emit({ type: 'study', study });
      const recent = await store.listTrials(study.id, { sort: 'number', descending: true, limit: options.recentTrials ?? 32 });
      for (const trial of recent.rows) {
        const trialSig = trialSignature(trial);
        if (trials.get(trial.id) === trialSig) continue;
        trials.set(trial.id, trialSig);
        if (!isFirst) emit({ type: 'trial', trial });
      }
    }
    isFirst = false;
  }

  const timer = setInterval(() => {
    if (isBusy) return;
    isBusy = true;
    // A locked or closed store is retried at the next tick; the feed never takes the host down.
    poll().catch(() => {}).finally(() => {
      isBusy = false;
    });
  }, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
