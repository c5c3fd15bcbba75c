import { describe, expect, it } from 'vitest';
import { formatDuration, formatEta, formatNumber, formatParam } from './format.js';

describe('format', () => {
  it('prints numbers with 4 significant digits and exponents at the extremes', () => {
    expect([0.123456, 12.5, 0, 0.00012, 123456, -0.5].map(formatNumber)).toEqual(['0.1235', '12.5', '0', '1.20e-4', '1.23e+5', '-0.5']);
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('NaN');
  });

  it('prints durations from milliseconds to hours', () => {
    expect([850, 12_345, 245_000, 7_800_000].map(formatDuration)).toEqual(['850 ms', '12.3 s', '4m 05s', '2h 10m']);
    expect(formatEta(null)).toBe('unknown');
    expect(formatEta(0.2)).toBe('under a second');
    expect(formatParam('adam')).toBe('adam');
  });
});
