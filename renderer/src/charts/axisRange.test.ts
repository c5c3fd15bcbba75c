import { describe, expect, it } from 'vitest';
import { metricAxisRange } from './axisRange.js';

describe('metricAxisRange', () => {
  it('keeps accuracies inside [0, 1]', () => {
    expect(metricAxisRange('val_accuracy', [0.3, 0.9667, 1])).toEqual({ min: 0.2, max: 1, interval: 0.2 });
    expect(metricAxisRange('accuracy', [1, 1])).toEqual({ min: 0.94, max: 1, interval: 0.02 });
  });

  it('gives losses a nice range that does not go below 0', () => {
    expect(metricAxisRange('val_loss', [0.05831, 0.1458])).toEqual({ min: 0.04, max: 0.16, interval: 0.02 });
    expect(metricAxisRange('val_loss', [0.02861, 0.1458])).toEqual({ min: 0.02, max: 0.16, interval: 0.02 });
    expect(metricAxisRange('val_loss', [0.004, 0.5])).toEqual({ min: 0, max: 0.6, interval: 0.1 });
    expect(metricAxisRange('val_loss', [2.1, 2.5])).toEqual({ min: 2, max: 2.6, interval: 0.1 });
  });

  it('fits other metrics around the data and ignores non-finite values', () => {
    expect(metricAxisRange('epoch_ms', [-3, 7, Number.NaN])).toEqual({ min: -4, max: 8, interval: 2 });
    expect(metricAxisRange('val_loss', [Number.NaN])).toBeNull();
  });
});
