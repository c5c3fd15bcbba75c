import { describe, expect, it } from 'vitest';
import { MedianPruner } from './medianPruner.js';

describe('MedianPruner', () => {
  const curves = [
    [0.9, 0.7, 0.5],
    [0.8, 0.6, 0.4],
    [1.0, 0.8, 0.6],
  ];

  it('prunes a trial whose best so far is worse than the median at that epoch (minimize)', () => {
    const pruner = new MedianPruner({ direction: 'minimize', startupTrials: 3, warmupEpochs: 1 });
    curves.forEach((curve, i) => pruner.complete(i, curve));
    expect(pruner.report(10, 0, 5)).toBe(false); // warm-up epoch
    expect(pruner.report(10, 1, 0.75)).toBe(true); // median at epoch 1 is 0.7
    expect(pruner.report(11, 0, 0.65)).toBe(false);
    expect(pruner.report(11, 1, 0.69)).toBe(false); // best so far 0.65 beats 0.7
  });

  it('mirrors the rule when maximizing', () => {
    const pruner = new MedianPruner({ direction: 'maximize', startupTrials: 3, warmupEpochs: 0 });
    curves.forEach((curve, i) => pruner.complete(i, curve));
    expect(pruner.report(10, 2, 0.55)).toBe(false); // median at epoch 2 is 0.5
    expect(pruner.report(11, 2, 0.45)).toBe(true); // median 0.5, 0.45 is worse when maximizing
  });

  it('waits for the start-up trials, and for curves that reach the epoch', () => {
    const pruner = new MedianPruner({ direction: 'minimize', startupTrials: 2, warmupEpochs: 0 });
    pruner.complete(0, [0.1]);
    expect(pruner.report(5, 0, 9)).toBe(false); // one completed trial is not enough
    pruner.complete(1, [0.2]);
    expect(pruner.report(5, 0, 9)).toBe(true);
    expect(pruner.report(6, 3, 9)).toBe(false); // no completed curve reaches epoch 3
  });
});
