import { describe, expect, it } from 'vitest';
import { profileColumn } from './columns.js';
import { parseCsvText } from './csvDataset.js';
import { errorOf } from '../../tests/support/csvFixtures.js';
import { inferTask } from './target.js';

const column = (values: (string | number)[]) => profileColumn('t', values.map((v) => [String(v)]), 0);

describe('target', () => {
  it('infers classification for text and up to 10 distinct integers, regression otherwise', () => {
    expect(inferTask(column(['a', 'b']))).toBe('classification');
    expect(inferTask(column([0, 1, 1, 0, 'NA']))).toBe('classification');
    expect(inferTask(column([...Array(10).keys()]))).toBe('classification');
    expect(inferTask(column([...Array(11).keys()]))).toBe('regression');
    expect(inferTask(column([0, 1, 1.5]))).toBe('regression');
  });

  it('refuses a target with one class, an all-missing target, and a table with no features', () => {
    const oneClass = errorOf(() => parseCsvText('x,t\n1,a\n2,a\n', { target: 't' }));
    expect(oneClass.code).toBe('DATASET_MISMATCH');
    expect(oneClass.message).toContain('has 1 distinct value(s); a classification target needs at least 2');
    const allMissing = errorOf(() => parseCsvText('x,t\n1,\n2,NA\n', { target: 't', task: 'regression' }));
    expect(allMissing.message).toBe('every row\'s target "t" is missing');
    const noFeatures = errorOf(() => parseCsvText('t\na\nb\n', { target: 't' }));
    expect(noFeatures.message).toContain('only the target column "t"');
  });

  it('refuses too many classes, pointing at regression', () => {
    const text = ['x,t', ...Array.from({ length: 1001 }, (_, i) => `${i},c${i}`)].join('\n');
    const error = errorOf(() => parseCsvText(text, { target: 't' }));
    expect(error.message).toContain('1001 distinct values, too many classes (at most 1000)');
  });
});
