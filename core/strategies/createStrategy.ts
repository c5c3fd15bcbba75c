import type { StudySpec } from '../api/spec.js';
import { GridStrategy } from './gridStrategy.js';
import { RandomStrategy } from './randomStrategy.js';
import { SobolStrategy } from './sobolStrategy.js';
import type { Strategy, TrialSnapshot } from './strategy.js';
import { TpeStrategy } from './tpeStrategy.js';

/**
 * The strategy a validated spec asks for (`validateSpec` has already rejected grids that are
 * too large or have ranges without gridPoints). `plannedTrials` is the grid size or the random
 * budget, as stored on the study. `warmStart`: another study's trials for TPE to fit on.
 */
export function createStrategy(spec: StudySpec, warmStart: readonly TrialSnapshot[] = []): Strategy {
  const { search } = spec;
  switch (search.strategy) {
    case 'grid':
      return new GridStrategy(spec);
    case 'random':
      return new RandomStrategy({ ...spec, search });
    case 'sobol':
      return new SobolStrategy({ ...spec, search });
    case 'tpe':
      return new TpeStrategy({ ...spec, search }, warmStart);
  }
}
