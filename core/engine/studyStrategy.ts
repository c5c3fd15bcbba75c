import type { StudySpec } from '../api/spec.js';
import { createStrategy } from '../strategies/createStrategy.js';
import type { Strategy } from '../strategies/strategy.js';
import { checkWarmStart, warmStartHistory } from '../strategies/warmStart.js';
import type { Store } from '../store/store.js';

/**
 * The strategy a study's owner asks (a one-process StudyRun or the shared queue's owner): with
 * `search.warmStart`, TPE fits on the compatible old study's trials from its first ask.
 */
export async function studyStrategy(store: Store, spec: StudySpec): Promise<Strategy> {
  if (spec.search.strategy !== 'tpe' || spec.search.warmStart === undefined) return createStrategy(spec);
  const old = await store.getStudy(spec.search.warmStart);
  checkWarmStart(old, spec);
  const { rows } = await store.listTrials(old.id, { sort: 'number', limit: Number.MAX_SAFE_INTEGER });
  return createStrategy(spec, warmStartHistory(rows, spec));
}
