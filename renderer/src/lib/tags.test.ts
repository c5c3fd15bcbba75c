import { describe, expect, it } from 'vitest';
import { parseTags } from './tags.js';

describe('parseTags', () => {
  it('splits on commas and spaces, trims and de-duplicates', () => {
    expect(parseTags(' baseline, adam  adam,,final ')).toEqual(['baseline', 'adam', 'final']);
    expect(parseTags('')).toEqual([]);
  });

  it('caps tag length and count at the contract limits', () => {
    expect(parseTags('x'.repeat(60))[0]).toHaveLength(50);
    expect(parseTags(Array.from({ length: 60 }, (_, n) => `t${n}`).join(','))).toHaveLength(50);
  });
});
