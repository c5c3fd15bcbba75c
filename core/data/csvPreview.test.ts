import { describe, expect, it } from 'vitest';
import { previewCsv } from './csvPreview.js';
import { asyncErrorOf, errorOf, fixturePath, fixtureText } from '../../tests/support/csvFixtures.js';

describe('previewCsv', () => {
  it('shows the first rows, column kinds and counts, and suggests the last column as target', () => {
    const preview = previewCsv(fixtureText('missing.csv'), undefined, 2);
    expect(preview.header).toEqual(['x', 'y', 'color', 'target']);
    expect(preview.rows).toEqual([
      ['1.0', '10', 'red', '1.5'],
      ['NaN', '20', 'blue', '2.5'],
    ]);
    expect(preview.rowCount).toBe(8);
    expect(preview.columns).toEqual([
      { name: 'x', kind: 'numeric', missing: 3, distinct: 5 },
      { name: 'y', kind: 'numeric', missing: 2, distinct: 6 },
      { name: 'color', kind: 'categorical', missing: 3, distinct: 3 },
      { name: 'target', kind: 'numeric', missing: 2, distinct: 6 },
    ]);
    expect(preview.suggestedTarget).toBe('target');
    expect(preview.task).toBe('regression');
  });

  it('uses the given target and infers its task', () => {
    const preview = previewCsv(fixtureText('weather.csv'), 'outlook');
    expect(preview.suggestedTarget).toBe('outlook');
    expect(preview.task).toBe('classification');
    expect(preview.rows).toHaveLength(10);
    expect(previewCsv(fixtureText('numeric-classes.csv')).task).toBe('classification');
  });

  it('labels an ISO date column a date, as training treats it, not a category', () => {
    const text = 'day,stamp,code,label\n2024-01-05,2024-01-05T10:00:00Z,2024-01-05,a\n2024-02-10,,2024-13-01,b\n,2023-12-31 08:30,x,a\n';
    expect(previewCsv(text).columns.map((c) => [c.name, c.kind, c.missing])).toEqual([
      ['day', 'date', 1],
      ['stamp', 'date', 1],
      ['code', 'categorical', 0], // 2024-13-01 is no date: the column stays categorical
      ['label', 'categorical', 0],
    ]);
  });

  it('suggests a column named like a label over the last one', () => {
    expect(previewCsv('label,a,b\nx,1,2\ny,3,4\n').suggestedTarget).toBe('label');
  });

  it('refuses what an import refuses', () => {
    expect(errorOf(() => previewCsv(fixtureText('ragged.csv'))).code).toBe('CSV_SHAPE');
    expect(errorOf(() => previewCsv(fixtureText('weather.csv'), 'nope')).message).toContain('the columns are: "outlook"');
    expect(previewCsv(fixtureText('bom.csv')).header[0]).toBe('outlook');
  });
});
