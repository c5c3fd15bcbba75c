import { describe, expect, it } from 'vitest';
import { lrAt } from '../../../core/api/schedules.js';
import { defaultScheduleParams, scheduleCurve, scheduleLr } from './schedulePreview.js';

const params = { decayRate: 0.5, decaySteps: 10, decay: 0.1, minLrFraction: 0.1 };

describe('scheduleLr', () => {
  it('keeps a constant rate', () => {
    expect(scheduleCurve('constant', 0.01, 3, params)).toEqual([0.01, 0.01, 0.01]);
  });

  it('decays exponentially by decayRate every decaySteps epochs, smoothly', () => {
    expect(scheduleLr('exponential', 0.1, 10, 30, params)).toBeCloseTo(0.05, 12);
    expect(scheduleLr('exponential', 0.1, 5, 30, params)).toBeCloseTo(0.1 * Math.SQRT1_2, 12);
  });

  it('steps down only at multiples of decaySteps', () => {
    expect(scheduleLr('step', 0.1, 9, 30, params)).toBe(0.1);
    expect(scheduleLr('step', 0.1, 10, 30, params)).toBe(0.05);
    expect(scheduleLr('step', 0.1, 25, 30, params)).toBe(0.025);
  });

  it('follows inverse time and inverse square root', () => {
    expect(scheduleLr('inverse-time', 0.1, 10, 30, params)).toBeCloseTo(0.05, 12);
    expect(scheduleLr('inverse-sqrt', 0.1, 3, 30, params)).toBeCloseTo(0.05, 12);
  });

  it('runs cosine from lr to the floor fraction', () => {
    expect(scheduleLr('cosine', 0.1, 0, 20, params)).toBeCloseTo(0.1, 12);
    expect(scheduleLr('cosine', 0.1, 10, 20, params)).toBeCloseTo(0.055, 12);
    expect(scheduleLr('cosine', 0.1, 20, 20, params)).toBeCloseTo(0.01, 12);
  });

  it('gives one value per epoch, and no curve for zero steps (the trainer refuses them)', () => {
    expect(scheduleCurve('step', 1, 4, { ...defaultScheduleParams, decaySteps: 1 })).toEqual([1, 0.5, 0.25, 0.125]);
    expect(scheduleCurve('step', 1, 4, { ...defaultScheduleParams, decaySteps: 0 })).toEqual([]);
  });

  it('is the trainer\'s formula for every schedule', () => {
    for (const name of ['constant', 'exponential', 'step', 'inverse-time', 'inverse-sqrt', 'cosine'] as const) {
      const trial = { learningRate: 0.1, lrSchedule: name, ...params };
      expect(scheduleCurve(name, 0.1, 30, params)).toEqual(Array.from({ length: 30 }, (_, epoch) => lrAt(trial, epoch, 30)));
    }
  });
});
