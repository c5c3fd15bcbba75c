import { describe, expect, it } from 'vitest';
import { AshaPruner, rungEpochs } from './ashaPruner.js';
import { HyperbandPruner } from './hyperbandPruner.js';

/** Reports a scripted curve epoch by epoch; returns the epoch count at which it was stopped, or null. */
function run(pruner: { report(id: number, epoch: number, value: number): boolean }, id: number, curve: number[]): number | null {
  for (let epoch = 0; epoch < curve.length; epoch += 1) if (pruner.report(id, epoch, curve[epoch]!)) return epoch + 1;
  return null;
}

describe('rungEpochs', () => {
  it('puts rungs at minEpochs * eta^k below the full run', () => {
    expect(rungEpochs({ minEpochs: 1, reductionFactor: 3, maxEpochs: 9 })).toEqual([1, 3]);
    expect(rungEpochs({ minEpochs: 1, reductionFactor: 3, maxEpochs: 28 })).toEqual([1, 3, 9, 27]);
    expect(rungEpochs({ minEpochs: 2, reductionFactor: 2, maxEpochs: 16 })).toEqual([2, 4, 8]);
    expect(rungEpochs({ minEpochs: 5, reductionFactor: 3, maxEpochs: 5 })).toEqual([]);
  });
});

describe('AshaPruner', () => {
  const options = { direction: 'minimize' as const, minEpochs: 1, reductionFactor: 3, maxEpochs: 9 };

  it('keeps the top floor(n/eta) at a rung (at least the best), deciding with what has arrived', () => {
    const pruner = new AshaPruner(options);
    expect(run(pruner, 1, [0.5, 0.4, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2])).toBeNull(); // first at each rung goes on
    expect(run(pruner, 2, [0.7])).toBe(1); // 0.7 is not the best of [0.5, 0.7]
    expect(run(pruner, 3, [0.45, 0.44, 0.43])).toBe(3); // best at rung 1; at rung 3 0.43 loses to 0.3
    expect(run(pruner, 4, [0.46])).toBe(1); // keep 1 of 4: 0.45 is the threshold
    expect(run(pruner, 5, [0.48])).toBe(1); // 5 values, keep 1
    // six values at rung 1 keep two: [0.45, 0.46, 0.48, 0.5, 0.7, 0.47] -> threshold 0.46
    expect(run(pruner, 6, [0.47])).toBe(1);
    expect(pruner.report(7, 0, 0.455)).toBe(false); // 7 values keep 2: 0.45, 0.455 -> goes on
  });

  it('judges a rung by the best value so far, so one noisy epoch does not stop a good trial', () => {
    const pruner = new AshaPruner(options);
    run(pruner, 1, [0.5, 0.5, 0.5]);
    // epoch 3 is noisy (0.9) but the best so far (0.2) beats 0.5 at the 3-epoch rung
    expect(run(pruner, 2, [0.4, 0.2, 0.9, 0.1])).toBeNull();
  });

  it('never stops between rungs nor at the last epoch', () => {
    const pruner = new AshaPruner(options);
    run(pruner, 1, [0.1, 0.1, 0.1]);
    expect(pruner.report(2, 1, 9)).toBe(false); // epoch count 2 is no rung
    expect(pruner.report(2, 8, 9)).toBe(false); // the full run is no rung
    expect(pruner.report(2, 2, 9)).toBe(true); // epoch count 3 is
  });

  it('mirrors the rule when maximizing', () => {
    const pruner = new AshaPruner({ ...options, direction: 'maximize' });
    expect(run(pruner, 1, [0.5])).toBeNull();
    expect(run(pruner, 2, [0.4])).toBe(1);
    expect(run(pruner, 3, [0.6])).toBeNull();
  });

  it('rebuilds its rungs from completed curves (resume)', () => {
    const pruner = new AshaPruner(options);
    pruner.complete(1, [0.3, 0.2, 0.1, 0.1]);
    expect(pruner.report(2, 0, 0.35)).toBe(true);
    expect(pruner.report(3, 0, 0.25)).toBe(false);
  });
});

describe('HyperbandPruner', () => {
  const options = { direction: 'minimize' as const, minEpochs: 1, reductionFactor: 3, maxEpochs: 27 };

  it('runs one ASHA per bracket, starting at minEpochs * eta^s', () => {
    const pruner = new HyperbandPruner(options);
    expect(pruner.brackets.map((bracket) => rungEpochs({ ...options, minEpochs: [1, 3, 9][pruner.brackets.indexOf(bracket)]! }))).toEqual([[1, 3, 9], [3, 9], [9]]);
  });

  it('assigns trials to brackets by Hyperband weights (27 : 5 : 1), the same way every time', () => {
    const pruner = new HyperbandPruner(options);
    const counts = [0, 0, 0];
    for (let id = 1; id <= 3300; id += 1) counts[pruner.bracketOf(id)]! += 1;
    expect(counts[0]! / 3300).toBeCloseTo(27 / 33, 1);
    expect(counts[1]! / 3300).toBeCloseTo(5 / 33, 1);
    expect(counts[2]! / 3300).toBeCloseTo(1 / 33, 1);
    const again = new HyperbandPruner(options);
    for (let id = 1; id <= 50; id += 1) expect(again.bracketOf(id)).toBe(pruner.bracketOf(id));
  });

  it('compares a trial only within its bracket and stops it only at that bracket’s rungs', () => {
    const pruner = new HyperbandPruner(options);
    const inBracket = (bracket: number) => Array.from({ length: 5000 }, (_, i) => i + 1).filter((id) => pruner.bracketOf(id) === bracket);
    const [first, second] = inBracket(2);
    const [other] = inBracket(0);
    expect(run(pruner, other!, [0.01])).toBeNull(); // a great trial in bracket 0
    const worse = Array.from({ length: 9 }, () => 0.5);
    expect(run(pruner, first!, worse)).toBeNull(); // first in bracket 2 at its only rung (9 epochs)
    expect(run(pruner, second!, worse.map((value) => value + 0.1))).toBe(9); // judged at 9 epochs, against bracket 2 only
  });
});

describe('AshaPruner, noise-aware', () => {
  const options = { direction: 'minimize' as const, minEpochs: 1, reductionFactor: 3, maxEpochs: 9, noiseAware: true };
  // Completed curves whose epochs jump by 0.2 from one to the next: the noise margin is 0.2.
  const noisy = [0.5, 0.3, 0.5, 0.3, 0.5, 0.3, 0.5, 0.3, 0.5];

  it('spares a trial within the noise of the cut and stops one beyond it', () => {
    const pruner = new AshaPruner(options);
    pruner.complete(1, noisy);
    expect(pruner.report(2, 0, 0.65)).toBe(false); // 0.65 <= 0.5 + 0.2
    expect(pruner.report(3, 0, 0.75)).toBe(true); // 0.75 > 0.5 + 0.2
  });

  it('keeps the plain rule when not asked to, and before any curve completed', () => {
    const plain = new AshaPruner({ ...options, noiseAware: false });
    plain.complete(1, noisy);
    expect(plain.report(2, 0, 0.65)).toBe(true);
    const fresh = new AshaPruner(options);
    fresh.report(1, 0, 0.5);
    expect(fresh.report(2, 0, 0.55)).toBe(true);
  });
});
