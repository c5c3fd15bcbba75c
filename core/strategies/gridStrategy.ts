import type { StudySpec, TrialParams } from '../api/spec.js';
import { expandGrid, gridSize } from '../space/grid.js';
import type { Strategy, TrialSnapshot } from './strategy.js';

/**
 * Exhaustive search: trial k gets the k-th point of `expandGrid` (its order is documented
 * there), and ask returns null once every point has been asked for. The points are built on
 * the first ask, so creating the strategy to read `plannedTrials` stays cheap.
 */
export class GridStrategy implements Strategy {
  readonly name = 'grid';
  readonly plannedTrials: number;
  private points: readonly TrialParams[] | null = null;

  constructor(private readonly spec: Pick<StudySpec, 'space'>) {
    this.plannedTrials = gridSize(spec);
  }

  ask(history: readonly TrialSnapshot[]): TrialParams | null {
    this.points ??= expandGrid(this.spec);
    const point = this.points[history.length];
    return point ? { ...point } : null;
  }
}
