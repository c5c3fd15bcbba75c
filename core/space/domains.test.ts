import prand from 'pure-rand';
import { describe, expect, it } from 'vitest';
import type { BatchDomain } from '../api/spec.js';
import { batchValueCount, batchValues, numericGridValues, roundSignificant } from './domains.js';
import { nextDouble, sampleBatch, sampleNumeric } from './sample.js';

describe('numericGridValues', () => {
  it('spaces a log range by decades, exactly', () => {
    expect(numericGridValues({ logUniform: [0.0001, 0.1], gridPoints: 4 })).toEqual([0.0001, 0.001, 0.01, 0.1]);
    expect(numericGridValues({ logUniform: [1e-6, 1], gridPoints: 7 })).toEqual([1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1]);
  });

  it('spaces a linear range evenly and keeps both ends as written', () => {
    expect(numericGridValues({ uniform: [0, 1], gridPoints: 5 })).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(numericGridValues({ uniform: [0.1, 0.3], gridPoints: 3 })).toEqual([0.1, 0.2, 0.3]);
    expect(numericGridValues({ uniform: [0.8, 0.99], gridPoints: 2 })).toEqual([0.8, 0.99]);
  });

  it('rounds interior points to 6 significant digits', () => {
    expect(numericGridValues({ uniform: [0, 1], gridPoints: 4 })).toEqual([0, 0.333333, 0.666667, 1]);
    expect(numericGridValues({ logUniform: [0.001, 0.1], gridPoints: 3 })).toEqual([0.001, 0.01, 0.1]);
    expect(roundSignificant(0.0010000000000000002)).toBe(0.001);
  });

  it('gives [low] for one point and drops duplicates', () => {
    expect(numericGridValues({ logUniform: [0.001, 0.1], gridPoints: 1 })).toEqual([0.001]);
    expect(numericGridValues({ uniform: [0.5, 0.5], gridPoints: 10 })).toEqual([0.5]);
    expect(numericGridValues({ choice: [0.1, 0.01, 0.1] })).toEqual([0.1, 0.01]);
    expect(numericGridValues(0.3)).toEqual([0.3]);
  });

  it('rounds to whole numbers when asked (decaySteps)', () => {
    expect(numericGridValues({ uniform: [1, 10], gridPoints: 4 }, { integer: true })).toEqual([1, 4, 7, 10]);
    expect(numericGridValues({ uniform: [1, 2], gridPoints: 5 }, { integer: true })).toEqual([1, 2]);
  });

  it('refuses a range without gridPoints', () => {
    expect(() => numericGridValues({ uniform: [0, 1] })).toThrow(/gridPoints/);
  });
});

describe('batchValues', () => {
  const cases: [BatchDomain, number[]][] = [
    [64, [64]],
    [{ choice: [32, 16, 32] }, [32, 16]],
    [{ intRange: [10, 200], powersOfTwo: true }, [16, 32, 64, 128]],
    [{ intRange: [1, 8], powersOfTwo: true }, [1, 2, 4, 8]],
    [{ intRange: [33, 63], powersOfTwo: true }, []],
    [{ intRange: [5, 9], powersOfTwo: false }, [5, 6, 7, 8, 9]],
  ];
  it.each(cases)('lists %j as %j, and counts them without listing', (domain, expected) => {
    expect(batchValues(domain)).toEqual(expected);
    expect(batchValueCount(domain)).toBe(expected.length);
  });

  it('counts a huge plain range arithmetically', () => {
    expect(batchValueCount({ intRange: [1, 2 ** 40], powersOfTwo: false })).toBe(2 ** 40);
    expect(batchValueCount({ intRange: [1, 2 ** 40], powersOfTwo: true })).toBe(41);
  });
});

describe('sampling', () => {
  const rng = (seed: number) => prand.xoroshiro128plus(seed);

  it('draws doubles in [0, 1) that cover the interval', () => {
    const generator = rng(1);
    const draws = Array.from({ length: 2000 }, () => nextDouble(generator));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(draws.filter((value) => value < 0.5).length).toBeGreaterThan(900);
    expect(draws.filter((value) => value < 0.5).length).toBeLessThan(1100);
  });

  it('keeps uniform and log-uniform draws inside their ranges', () => {
    const generator = rng(2);
    for (let i = 0; i < 500; i += 1) {
      const linear = sampleNumeric({ uniform: [0.8, 0.99] }, generator);
      expect(linear).toBeGreaterThanOrEqual(0.8);
      expect(linear).toBeLessThanOrEqual(0.99);
      const log = sampleNumeric({ logUniform: [1e-5, 1e-1] }, generator);
      expect(log).toBeGreaterThanOrEqual(1e-5);
      expect(log).toBeLessThanOrEqual(1e-1);
      expect(log).toBe(roundSignificant(log));
    }
  });

  it('spreads log-uniform draws evenly across decades', () => {
    const generator = rng(3);
    const decades = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i += 1) {
      const value = sampleNumeric({ logUniform: [1e-5, 1e-1] }, generator);
      const decade = Math.min(3, Math.floor(Math.log10(value) + 5));
      decades[decade] = (decades[decade] ?? 0) + 1;
    }
    // Each decade holds a quarter (1000) of the draws; a linear draw would put ~90% in the last.
    for (const count of decades) expect(count).toBeGreaterThan(850);
  });

  it('picks only listed values, and whole numbers when asked', () => {
    const generator = rng(4);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i += 1) seen.add(sampleNumeric({ choice: [0.1, 0.01, 0.001] }, generator));
    expect([...seen].sort()).toEqual([0.001, 0.01, 0.1]);
    for (let i = 0; i < 100; i += 1) expect(Number.isInteger(sampleNumeric({ uniform: [1, 20] }, generator, { integer: true }))).toBe(true);
  });

  it('samples batch sizes among powers of two, or any integer in a plain range', () => {
    const generator = rng(5);
    const powers = new Set<number>();
    const plain = new Set<number>();
    for (let i = 0; i < 300; i += 1) {
      powers.add(sampleBatch({ intRange: [10, 200], powersOfTwo: true }, generator));
      plain.add(sampleBatch({ intRange: [5, 9], powersOfTwo: false }, generator));
    }
    expect([...powers].sort((a, b) => a - b)).toEqual([16, 32, 64, 128]);
    expect([...plain].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9]);
    expect(sampleBatch(48, generator)).toBe(48);
  });
});
