import type { StudySpec, TrialParams } from '../api/spec.js';
import type { Dimension } from '../space/dimensions.js';
import { coordinateFromUnit, paramsFromCoordinates, spaceDimensions } from '../space/dimensions.js';
import { sobolPoint } from './sobol.js';
import type { Strategy, TrialSnapshot } from './strategy.js';

type SobolSpec = Pick<StudySpec, 'space' | 'seed'> & { search: { strategy: 'sobol'; trials: number; seed?: number } };

/** Trial k's params: point k of the seeded scrambled Sobol sequence, one coordinate per dimension. */
export function sobolParams(dimensions: readonly Dimension[], index: number, seed: number): TrialParams {
  const unit = sobolPoint(index, dimensions.length, seed);
  const coordinates = Object.fromEntries(dimensions.map((dimension, i) => [dimension.name, coordinateFromUnit(dimension, unit[i]!)]));
  return paramsFromCoordinates(dimensions, coordinates);
}

/**
 * Quasi-random search: scrambled Sobol points cover the space more evenly than random draws
 * (log scales evenly in log space, each choice equally often). Trial k depends only on (seed, k),
 * so a resumed study continues the same sequence.
 */
export class SobolStrategy implements Strategy {
  readonly name = 'sobol';
  readonly plannedTrials: number;
  private readonly seed: number;
  private readonly dimensions: Dimension[];

  constructor(spec: SobolSpec) {
    this.plannedTrials = spec.search.trials;
    this.seed = spec.search.seed ?? spec.seed;
    this.dimensions = spaceDimensions(spec.space);
  }

  ask(history: readonly TrialSnapshot[]): TrialParams | null {
    if (history.length >= this.plannedTrials) return null;
    return sobolParams(this.dimensions, history.length, this.seed);
  }
}
