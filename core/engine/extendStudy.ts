import type { Study } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { StudySpec } from '../api/spec.js';

/**
 * The spec of a study given N more trials. Random, Sobol and TPE ask as a pure function of
 * (seed, history), so raising the budget makes a resumed run ask exactly the trials an
 * uninterrupted run with the larger budget would have asked next. A grid has run every point
 * it has; more trials of it would repeat points, so it is refused (re-run points with new seeds
 * with `rerun`, or widen the space in a new study).
 */
export function extendSpec(study: Study, trials: number): StudySpec {
  const { search } = study.spec;
  if (search.strategy === 'grid') {
    throw new TunebenchError(
      'ARGUMENT_INVALID',
      `study ${study.name} is a grid search: every point of its grid has been asked, so there is nothing to add; ` +
        're-run its best points with new seeds (tunebench rerun) or start a random, sobol or tpe study',
      [{ where: 'search/strategy', message: 'grid cannot be extended' }],
    );
  }
  const total = search.trials + trials;
  if (total > 100_000) {
    throw new TunebenchError('ARGUMENT_INVALID', `study ${study.name} would have ${total} trials; at most 100000`, [{ where: '--trials', message: 'too many' }]);
  }
  return { ...study.spec, search: { ...search, trials: total } };
}

/** A study is extended or re-run only when no process runs it. */
export function checkNotRunning(study: Study, action: string): void {
  if (study.status === 'running' || study.owner) {
    throw new TunebenchError('CONFLICT', `study ${study.name} is running; ${action} it once it has stopped (pause or wait)`);
  }
}
