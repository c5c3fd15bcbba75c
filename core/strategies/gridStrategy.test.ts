import { describe, expect, it } from 'vitest';
import { specWith } from '../../tests/support/specs.js';
import { expandGrid } from '../space/grid.js';
import { historyOf } from '../../tests/support/strategyHistory.js';
import { GridStrategy } from './gridStrategy.js';

describe('GridStrategy', () => {
  const spec = specWith({
    optimizer: { choice: ['sgd', 'momentum'] },
    learningRate: { logUniform: [0.001, 0.1], gridPoints: 3 },
    batchSize: { choice: [16, 32] },
    momentum: { choice: [0.5, 0.9] },
  });

  it('plans the grid size and walks expandGrid in order', () => {
    const strategy = new GridStrategy(spec);
    const points = expandGrid(spec);
    expect(strategy.plannedTrials).toBe(3 * 2 + 3 * 2 * 2);
    expect(points).toHaveLength(18);
    for (let k = 0; k < points.length; k += 1) expect(strategy.ask(historyOf(points.slice(0, k)))).toEqual(points[k]);
    expect(strategy.ask(historyOf(points))).toBeNull();
  });

  it('starts with the first optimizer and the lowest rate', () => {
    expect(new GridStrategy(spec).ask([])).toEqual({ optimizer: 'sgd', learningRate: 0.001, batchSize: 16, lrSchedule: 'constant' });
  });

  it('stays null past the end (a history longer than the grid)', () => {
    const points = expandGrid(spec);
    expect(new GridStrategy(spec).ask(historyOf([...points, ...points]))).toBeNull();
  });
});
