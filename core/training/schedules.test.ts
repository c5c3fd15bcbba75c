import { describe, expect, it } from 'vitest';
import type { ScheduleName, TrialParams } from '../api/spec.js';
import { lrAt } from './schedules.js';

const base = (lrSchedule: ScheduleName, extra: Partial<TrialParams> = {}): TrialParams => ({
  optimizer: 'sgd',
  learningRate: 0.1,
  batchSize: 32,
  lrSchedule,
  ...extra,
});

const epochs = 20;
const at = [0, 1, 2, 5, 9, 10, 11, 19];

function expectSchedule(p: TrialParams, formula: (epoch: number) => number): void {
  for (const epoch of at) expect(lrAt(p, epoch, epochs)).toBeCloseTo(formula(epoch), 12);
}

describe('lrAt', () => {
  it('constant', () => expectSchedule(base('constant'), () => 0.1));

  it('exponential with defaults (0.96 per epoch) and with params', () => {
    expectSchedule(base('exponential'), (e) => 0.1 * 0.96 ** e);
    expectSchedule(base('exponential', { decayRate: 0.5, decaySteps: 4 }), (e) => 0.1 * 0.5 ** (e / 4));
    expect(lrAt(base('exponential', { decayRate: 0.5, decaySteps: 4 }), 4, epochs)).toBeCloseTo(0.05, 12);
  });

  it('step with defaults (halve every 10) and with params', () => {
    expectSchedule(base('step'), (e) => 0.1 * 0.5 ** Math.floor(e / 10));
    expect(lrAt(base('step'), 9, epochs)).toBe(0.1);
    expect(lrAt(base('step'), 10, epochs)).toBeCloseTo(0.05, 12);
    expectSchedule(base('step', { decayRate: 0.1, decaySteps: 3 }), (e) => 0.1 * 0.1 ** Math.floor(e / 3));
  });

  it('inverse-time with default decay 0.1 and with params', () => {
    expectSchedule(base('inverse-time'), (e) => 0.1 / (1 + 0.1 * e));
    expectSchedule(base('inverse-time', { decay: 1 }), (e) => 0.1 / (1 + e));
    expect(lrAt(base('inverse-time', { decay: 1 }), 1, epochs)).toBeCloseTo(0.05, 12);
  });

  it('inverse-sqrt', () => {
    expectSchedule(base('inverse-sqrt'), (e) => 0.1 / Math.sqrt(1 + e));
    expect(lrAt(base('inverse-sqrt'), 3, epochs)).toBeCloseTo(0.05, 12);
  });

  it('cosine from lr towards minLr over the run', () => {
    expectSchedule(base('cosine'), (e) => 0.1 * 0.5 * (1 + Math.cos((Math.PI * e) / epochs)));
    expect(lrAt(base('cosine'), 0, epochs)).toBeCloseTo(0.1, 12);
    expect(lrAt(base('cosine'), 10, epochs)).toBeCloseTo(0.05, 12);
    const floor = base('cosine', { minLrFraction: 0.1 });
    expectSchedule(floor, (e) => 0.01 + 0.09 * 0.5 * (1 + Math.cos((Math.PI * e) / epochs)));
    expect(lrAt(floor, 20, epochs)).toBeCloseTo(0.01, 12);
  });

  it('is pure: same inputs, same value, params untouched', () => {
    const p = base('step');
    const copy = { ...p };
    expect(lrAt(p, 12, epochs)).toBe(lrAt(p, 12, epochs));
    expect(p).toEqual(copy);
  });

  it('rejects decaySteps <= 0 with a typed error', () => {
    expect(() => lrAt(base('step', { decaySteps: 0 }), 1, epochs)).toThrow(/decaySteps/);
  });
});
