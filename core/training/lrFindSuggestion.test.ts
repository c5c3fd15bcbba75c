import { describe, expect, it } from 'vitest';
import { lrAtStep, suggestRange } from '../api/lrFind.js';

// A textbook range-test curve: flat at tiny rates, falling fastest near 1e-3, lowest near 3e-2,
// then blowing up.
function curve(lr: number): number {
  const x = Math.log10(lr);
  return 2 - 1.5 / (1 + Math.exp(-3 * (x + 3))) + (lr > 0.03 ? (lr / 0.03 - 1) ** 2 : 0);
}

describe('LR range test suggestion', () => {
  it('raises the rate exponentially from min to max', () => {
    expect(lrAtStep(0, 5, 1e-6, 1)).toBeCloseTo(1e-6, 12);
    expect(lrAtStep(2, 5, 1e-6, 1)).toBeCloseTo(1e-3, 9);
    expect(lrAtStep(4, 5, 1e-6, 1)).toBeCloseTo(1, 9);
  });

  it('suggests from the steepest descent to the lowest loss before divergence', () => {
    const points = Array.from({ length: 100 }, (_, i) => lrAtStep(i, 100, 1e-6, 1)).map((lr) => ({ lr, loss: curve(lr) }));
    const { suggested, steepest, minimum } = suggestRange(points);
    // Smoothing lags the raw curve, so the marks sit a little right of the true ones.
    expect(steepest).toBeGreaterThan(3e-4);
    expect(steepest).toBeLessThan(1e-2);
    expect(minimum).toBeGreaterThan(5e-3);
    expect(minimum).toBeLessThan(0.2);
    expect(suggested![0]).toBe(steepest);
    expect(suggested![1]).toBe(minimum);
  });

  it('suggests nothing when the loss never falls', () => {
    const points = Array.from({ length: 50 }, (_, i) => ({ lr: lrAtStep(i, 50, 1e-6, 1), loss: 1 + i / 10 }));
    expect(suggestRange(points).suggested).toBeNull();
  });
});
