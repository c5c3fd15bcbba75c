import type { StudyImportance } from '../api/contract.js';
import type { Study } from '../api/domain.js';
import type { Store } from '../store/store.js';
import { pedAnova } from './pedAnova.js';

/**
 * PED-ANOVA over a study's complete trials: the one computation behind the API's
 * studies.importance, the study view's chart and `tunebench show --importance`. Pruned trials
 * stay out: their value is from an earlier epoch than the others'.
 */
export async function studyImportance(store: Store, study: Study): Promise<StudyImportance> {
  const { rows } = await store.listTrials(study.id, { states: ['complete'], limit: Number.MAX_SAFE_INTEGER });
  const finished = rows.filter((trial) => trial.value !== null).map((trial) => ({ params: trial.params, value: trial.value! }));
  return {
    study: study.name,
    method: 'ped-anova',
    trials: finished.length,
    importance: pedAnova(study.spec.space, finished, study.objective.direction),
  };
}
