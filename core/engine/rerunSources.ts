import type { Study, Trial } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import { paramsKey } from '../api/seedStats.js';
import type { Store } from '../store/store.js';
import { rerunTrialIds } from './reruns.js';

/**
 * The trials to re-run: the given ones (each must belong to the study), else the best `top`
 * configurations (default 1) by their first complete run, re-runs themselves never counted as a
 * configuration of their own.
 */
export async function rerunSources(store: Store, study: Study, request: { top?: number; trialIds?: number[] }): Promise<Trial[]> {
  if (request.trialIds) {
    const trials = await Promise.all(request.trialIds.map((id) => store.getTrial(id)));
    const foreign = trials.find((trial) => trial.studyId !== study.id);
    if (foreign) throw new TunebenchError('ARGUMENT_INVALID', `trial ${foreign.id} is not a trial of study ${study.name}`, [{ where: 'trialIds', message: 'another study' }]);
    return trials;
  }
  const { rows } = await store.listTrials(study.id, { sort: 'number', limit: Number.MAX_SAFE_INTEGER });
  const reruns = rerunTrialIds(study.spec, rows);
  const { rows: ranked } = await store.listTrials(study.id, { states: ['complete'], sort: 'value', limit: Number.MAX_SAFE_INTEGER });
  const seen = new Set<string>();
  const sources: Trial[] = [];
  for (const trial of ranked) {
    const key = paramsKey(trial.params);
    if (reruns.has(trial.id) || seen.has(key) || trial.value === null) continue;
    seen.add(key);
    sources.push(trial);
    if (sources.length === (request.top ?? 1)) break;
  }
  if (sources.length === 0) throw new TunebenchError('ARGUMENT_INVALID', `study ${study.name} has no complete trial to re-run`);
  return sources;
}
