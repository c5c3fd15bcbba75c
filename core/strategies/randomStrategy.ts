import type { StudySpec, TrialParams } from '../api/spec.js';
import { dimensionNames, sampleTrialParams } from '../space/sampleParams.js';
import type { Strategy, TrialSnapshot } from './strategy.js';
import { trialRng } from './trialRng.js';

type RandomSpec = Pick<StudySpec, 'space' | 'seed'> & { search: { strategy: 'random'; trials: number; seed?: number } };

/**
 * Seeded random search. Trial k's params depend only on (seed, k) — seed is `search.seed`,
 * else the study's `seed` — so asking again after a resume, or on another machine, gives the
 * same trial. Returns null once `search.trials` trials have been asked for.
 */
export class RandomStrategy implements Strategy {
  readonly name = 'random';
  readonly plannedTrials: number;
  private readonly seed: number;

  constructor(private readonly spec: RandomSpec) {
    this.plannedTrials = spec.search.trials;
    this.seed = spec.search.seed ?? spec.seed;
  }

  ask(history: readonly TrialSnapshot[]): TrialParams | null {
    const trial = history.length;
    if (trial >= this.plannedTrials) return null;
    return sampleTrialParams(this.spec, (dimension) => trialRng(this.seed, trial, dimensionNames.indexOf(dimension)));
  }
}
