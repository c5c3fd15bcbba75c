import { describe, expect, it } from 'vitest';
import { learningRateDefaults, optimizersOutsideRange } from './learningRates.js';

describe('learning-rate defaults', () => {
  it('give Adadelta its own rate (1.0, Zeiler) and range, which the usual range misses', () => {
    expect(learningRateDefaults.adadelta).toEqual({ rate: 1.0, range: [0.1, 10] });
    expect(optimizersOutsideRange(['sgd', 'adam', 'adadelta'], 0.001, 0.1)).toEqual(['adadelta']);
    expect(optimizersOutsideRange(['adadelta'], 0.5, 2)).toEqual([]);
    expect(optimizersOutsideRange(['sgd'], 0.5, 2)).toEqual(['sgd']);
  });
});
