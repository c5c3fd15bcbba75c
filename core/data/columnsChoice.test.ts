import { describe, expect, it } from 'vitest';
import { errorOf, fixtureText } from '../../tests/support/csvFixtures.js';
import { parseCsvText } from './csvDataset.js';
import { parseIsoDate } from './dateColumns.js';

const rowOf = (features: Float32Array, width: number, row: number) => [...features.subarray(row * width, (row + 1) * width)];

describe('choosing columns: dropColumns and date columns', () => {
  it('leaves dropped columns out of the features, and out of the fingerprint only when there are some', () => {
    const text = fixtureText('weather.csv');
    const all = parseCsvText(text, { target: 'play' });
    const dropped = parseCsvText(text, { target: 'play', dropColumns: ['outlook', 'windy'] });
    expect(dropped.featureNames).toEqual(['temperature', 'humidity']);
    expect(dropped.info.featureCount).toBe(2);
    expect(dropped.info.columns.map((c) => c.name)).toEqual(['temperature', 'humidity', 'play']);
    expect(dropped.info.description).toContain('Left out: "outlook", "windy".');
    expect(dropped.info.fingerprint).not.toBe(all.info.fingerprint);
    expect(parseCsvText(text, { target: 'play', dropColumns: [] }).info.fingerprint).toBe(all.info.fingerprint);
  });

  it('refuses to drop an unknown column or the target, naming the spec field', () => {
    const text = fixtureText('weather.csv');
    const unknown = errorOf(() => parseCsvText(text, { target: 'play', dropColumns: ['outlook', 'wind'] }));
    expect(unknown.code).toBe('DATASET_MISMATCH');
    expect(unknown.issues).toEqual([{ where: '/dataset/dropColumns/1', message: '"wind" is not a column of the table' }]);
    const target = errorOf(() => parseCsvText(text, { target: 'play', dropColumns: ['play'] }));
    expect(target.issues[0]?.where).toBe('/dataset/dropColumns/0');
    const nothingLeft = errorOf(() => parseCsvText('a,b\n1,x\n2,y\n', { target: 'b', dropColumns: ['a'] }));
    expect(nothingLeft.message).toContain('no features to learn from');
  });

  it('turns an ISO date column into year and day of year on a circle; a missing date is filled by the split', () => {
    const csv = 'day,sales,kind\n2023-01-01,5,a\n2023-07-02T10:00:00Z,6,b\n,7,a\n2024-12-31,8,b\n';
    const ds = parseCsvText(csv, { target: 'kind' });
    expect(ds.featureNames).toEqual(['day:year', 'day:day_sin', 'day:day_cos', 'sales']);
    expect(rowOf(ds.features, 4, 0)).toEqual([2023, 0, 1, 5]);
    const [year, sin, cos] = rowOf(ds.features, 4, 1);
    expect(year).toBe(2023);
    expect(sin).toBeCloseTo(Math.sin((2 * Math.PI * 182) / 365), 5); // 2 July is day 182 (from 0)
    expect(cos).toBeCloseTo(Math.cos((2 * Math.PI * 182) / 365), 5);
    expect(rowOf(ds.features, 4, 2).slice(0, 3)).toEqual([NaN, NaN, NaN]);
    // 31 December of a leap year sits next to 1 January on the circle.
    expect(rowOf(ds.features, 4, 3)[2]).toBeCloseTo(Math.cos((2 * Math.PI * 365) / 366), 5);
    expect(ds.info.description).toContain('"day": ISO dates, used as year and day of year (sine, cosine), 1 missing');
    expect(ds.info.description).toContain('add it to dropColumns to leave it out');
    expect(parseCsvText(csv, { target: 'kind', dropColumns: ['day'] }).featureNames).toEqual(['sales']);
  });

  it('takes only real calendar dates as dates', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, dayOfYear: 59, daysInYear: 366 });
    expect(parseIsoDate('2023-02-29')).toBeNull();
    expect(parseIsoDate('2023-13-01')).toBeNull();
    expect(parseIsoDate('20230101')).toBeNull();
    const mixed = parseCsvText('when,k\n2023-01-01,a\nyesterday,b\n2023-01-03,a\n', { target: 'k' });
    expect(mixed.featureNames).toEqual(['when=2023-01-01', 'when=2023-01-03', 'when=yesterday']);
  });
});
