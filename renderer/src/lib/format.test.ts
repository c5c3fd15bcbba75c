import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatEta, formatEtaRange, formatNumber, formatParam } from './format.js';

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

  it('groups thousands without Intl', () => {
    expect([0, 999, 1000, 10_000, 1_234_567].map(formatCount)).toEqual(['0', '999', '1,000', '10,000', '1,234,567']);
  });

  it('prints an estimate as a range unless its ends are close', () => {
    expect(formatEtaRange(6.7, 17)).toBe('7–17 s');
    expect(formatEtaRange(0.4, 2.1)).toBe('1–2 s');
    expect(formatEtaRange(10, 11)).toBe('10.5 s');
    expect(formatEtaRange(50, 200)).toBe('50.0 s – 3m 20s');
  });
});
