import { describe, expect, it } from 'vitest';
import { distinctCount, isMissingCell, numericStats, parseNumberCell, profileColumn } from './columns.js';

describe('cells', () => {
  it('knows the missing tokens, in any case and with spaces', () => {
    for (const cell of ['', '  ', 'NA', 'n/a', 'N/A', 'NaN', 'nan', 'null', 'NULL', '?']) expect(isMissingCell(cell), cell).toBe(true);
    for (const cell of ['0', 'none', 'NAN2', '-', 'nil']) expect(isMissingCell(cell), cell).toBe(false);
  });

  it('parses plain decimals only; inf-like cells are infinite', () => {
    expect(['1', '-2.5', '+.5', '3.', '1e3', '2.5E-2', ' 7 '].map((c) => parseNumberCell(c))).toEqual([1, -2.5, 0.5, 3, 1000, 0.025, 7]);
    expect(['0x1F', '1_000', '1,5', '12%', 'abc', '1.2.3'].map((c) => parseNumberCell(c))).toEqual([null, null, null, null, null, null]);
    expect(['inf', '-Infinity', '+INF', '1e999'].map((c) => parseNumberCell(c))).toEqual([Infinity, -Infinity, Infinity, Infinity]);
    expect(parseNumberCell('1,5', true)).toBe(1.5);
    expect(parseNumberCell('-0,25', true)).toBe(-0.25);
  });
});

describe('profileColumn', () => {
  const rows = (values: string[]) => values.map((v) => [v]);

  it('types a column numeric when every non-missing cell is a number, counting infinite ones apart', () => {
    const p = profileColumn('x', rows(['1', 'NA', 'inf', '2', '2', '-Infinity']), 0);
    expect(p.kind).toBe('numeric');
    expect([...(p.numbers ?? [])]).toEqual([1, NaN, NaN, 2, 2, NaN]);
    expect([p.missing, p.infinite, distinctCount(p)]).toEqual([3, 2, 2]);
  });

  it('types a column categorical when one cell is text', () => {
    const p = profileColumn('c', rows(['1', ' two ', '', '1']), 0);
    expect(p.kind).toBe('categorical');
    expect(p.texts).toEqual(['1', 'two', null, '1']);
    expect([p.missing, distinctCount(p)]).toEqual([1, 2]);
  });

  it('computes population statistics over non-missing values of the given rows', () => {
    const values = Float64Array.from([2, NaN, 4, 100]);
    expect(numericStats(values, Uint32Array.from([0, 1, 2]))).toEqual({ count: 2, mean: 3, std: 1, min: 2, max: 4 });
    expect(numericStats(Float64Array.from([NaN])).count).toBe(0);
  });
});
