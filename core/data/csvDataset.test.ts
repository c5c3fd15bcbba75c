import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCsvFile, parseCsvBytes, parseCsvText } from './csvDataset.js';
import { asyncErrorOf, errorOf, fixtureBytes, fixturePath, fixtureText } from '../../tests/support/csvFixtures.js';

const rowOf = (features: Float32Array, width: number, row: number) => [...features.subarray(row * width, (row + 1) * width)];

describe('CSV datasets', () => {
  it('takes a text target as classification with sorted classes and one-hot text features', async () => {
    const ds = await loadCsvFile(fixturePath('weather.csv'), 'play');
    const { info } = ds;
    expect(info.task).toBe('classification');
    expect(info.classes).toEqual(['no', 'yes']);
    expect(info.rows).toBe(14);
    expect(info.key).toBe(`csv:${fixturePath('weather.csv')}`);
    expect(info.name).toBe('weather');
    expect(info.source).toBe('csv');
    expect(ds.featureNames).toEqual([
      'outlook=overcast',
      'outlook=rainy',
      'outlook=sunny',
      'temperature',
      'humidity',
      'windy=false',
      'windy=true',
    ]);
    expect(info.featureCount).toBe(7);
    expect([...(ds.standardizeMask ?? [])]).toEqual([0, 0, 0, 1, 1, 0, 0]);
    expect(rowOf(ds.features, 7, 0)).toEqual([0, 0, 1, Math.fround(29.4), 85, 1, 0]);
    expect([...ds.target.slice(0, 4)]).toEqual([0, 0, 1, 1]);
    const humidity = info.columns.find((c) => c.name === 'humidity');
    expect(humidity).toMatchObject({ kind: 'numeric', missing: 0, min: 65, max: 96 });
    expect(humidity?.mean).toBeCloseTo(81.642857, 5);
    expect(info.columns.find((c) => c.name === 'play')).toEqual({ name: 'play', kind: 'categorical', missing: 0, categories: ['no', 'yes'] });
  });

  it('reads BOM, CRLF, trailing blank lines and tabs into the same data as the plain file', () => {
    const plain = parseCsvBytes(fixtureBytes('weather.csv'), { target: 'play' });
    for (const name of ['bom.csv', 'crlf.csv', 'trailing-blank.csv']) {
      const ds = parseCsvBytes(fixtureBytes(name), { target: 'play' });
      expect(ds.features, name).toEqual(plain.features);
      expect(ds.target, name).toEqual(plain.target);
    }
    const tab = parseCsvBytes(fixtureBytes('tab.csv'), { target: 'kind' });
    expect(tab.info.classes).toEqual(['a', 'b']);
    expect(rowOf(tab.features, 2, 1)).toEqual([2.25, Math.fround(0.4)]);
  });

  it('trims spaces around cells and names', () => {
    const ds = parseCsvText(' size , kind \n 1.5 , a\n2,  b \n', { target: 'kind' });
    expect(ds.info.classes).toEqual(['a', 'b']);
    expect(ds.featureNames).toEqual(['size']);
    expect([...ds.features]).toEqual([1.5, 2]);
  });

  it('reads decimal commas in a semicolon file', () => {
    const ds = parseCsvBytes(fixtureBytes('semicolon.csv'), { target: 'kind' });
    expect(ds.info.columns.map((c) => c.kind)).toEqual(['numeric', 'numeric', 'categorical']);
    expect(rowOf(ds.features, 2, 1)).toEqual([2.25, Math.fround(0.4)]);
    expect(rowOf(ds.features, 2, 3)).toEqual([4.75, Math.fround(1.3)]);
  });

  it('applies the missing rule and reports NaN, inf, NA and empty cells per column', () => {
    const ds = parseCsvBytes(fixtureBytes('missing.csv'), { target: 'target' });
    const { info } = ds;
    expect(info.task).toBe('regression');
    expect(info.rows).toBe(6); // rows 5 and 7 have no target
    expect([...ds.target]).toEqual([1.5, 2.5, 3.5, 4.5, 6.5, 8.5]);
    const [x, y, color, target] = info.columns;
    expect(x).toMatchObject({ name: 'x', kind: 'numeric', missing: 3, mean: 4, min: 1, max: 8 });
    expect(x?.std).toBeCloseTo(Math.sqrt(26 / 3), 10);
    expect(y).toMatchObject({ name: 'y', kind: 'numeric', missing: 1, mean: 42, min: 10, max: 80 });
    expect(color).toEqual({ name: 'color', kind: 'categorical', missing: 3, categories: ['blue', 'green', 'red', '(missing)'] });
    expect(target).toMatchObject({ name: 'target', kind: 'numeric', missing: 2, min: 1.5, max: 8.5 });
    expect(ds.featureNames).toEqual(['x', 'y', 'color=blue', 'color=green', 'color=red', 'color=(missing)']);
    expect(rowOf(ds.features, 6, 0)).toEqual([1, 10, 0, 0, 1, 0]);
    // Missing numbers stay NaN here: the split fills them with the training part's mean.
    expect(rowOf(ds.features, 6, 1)).toEqual([NaN, 20, 1, 0, 0, 0]);
    expect(rowOf(ds.features, 6, 2)).toEqual([3, NaN, 0, 1, 0, 0]);
    expect(rowOf(ds.features, 6, 3)).toEqual([NaN, 40, 0, 0, 0, 1]); // inf -> missing, empty -> (missing)
    expect(info.description).toContain('Dropped 2 row(s) with no "target".');
    expect(info.description).toContain(`"x": 3 missing (the file has 2 infinite value(s), treated as missing), filled with the training part's mean.`);
    expect(info.description).toContain('"color": 3 missing, encoded as "(missing)".');
    expect(info.description).toContain('rows without a target are dropped');
  });

  it('takes a few integer labels as classes sorted by value, and lets the spec override the task', () => {
    const ds = parseCsvBytes(fixtureBytes('numeric-classes.csv'), { target: 'grade' });
    expect(ds.info.task).toBe('classification');
    expect(ds.info.classes).toEqual(['0', '1', '2', '10']);
    expect([...ds.target]).toEqual([0, 1, 2, 3, 2, 1]);
    const regression = parseCsvBytes(fixtureBytes('numeric-classes.csv'), { target: 'grade', task: 'regression' });
    expect(regression.info.classes).toBeNull();
    expect([...regression.target]).toEqual([0, 1, 2, 10, 2, 1]);
  });

  it('refuses regression on a text target', () => {
    const error = errorOf(() => parseCsvBytes(fixtureBytes('weather.csv'), { target: 'play', task: 'regression' }));
    expect(error.code).toBe('DATASET_MISMATCH');
    expect(error.message).toContain('"play" holds text');
  });

  it('refuses an unknown target, listing the columns', () => {
    const error = errorOf(() => parseCsvBytes(fixtureBytes('weather.csv'), { target: 'Play' }));
    expect(error.code).toBe('DATASET_MISMATCH');
    expect(error.message).toBe(
      'target column "Play" is not in the table; the columns are: "outlook", "temperature", "humidity", "windy", "play"',
    );
  });

  it('refuses a categorical feature with too many values, suggesting to drop it', () => {
    const error = errorOf(() => parseCsvBytes(fixtureBytes('many-categories.csv'), { target: 'target' }));
    expect(error.code).toBe('DATASET_MISMATCH');
    expect(error.message).toContain('column "id" has 120 distinct text values (at most 100');
    expect(error.message).toContain('drop the column');
    expect(error.issues[0]?.where).toBe('column "id"');
  });

  it('names the file in errors and refuses a missing file', async () => {
    const latin = await asyncErrorOf(loadCsvFile(fixturePath('latin1.csv'), 'label'));
    expect(latin.message.startsWith('latin1.csv: the file is not valid UTF-8')).toBe(true);
    const missing = await asyncErrorOf(loadCsvFile(fixturePath('nope.csv'), 'label'));
    expect(missing.code).toBe('DATASET_UNKNOWN');
    expect(missing.message).toContain('CSV file not found');
  });
});

describe('CSV fingerprint', () => {
  it('is stable, and changes with one byte, with the target and with the task', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunebench-fp-'));
    const file = join(dir, 'weather.csv');
    copyFileSync(fixturePath('weather.csv'), file);
    const first = (await loadCsvFile(file, 'play')).info.fingerprint;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect((await loadCsvFile(file, 'play')).info.fingerprint).toBe(first);
    expect((await loadCsvFile(file, 'windy')).info.fingerprint).not.toBe(first);
    writeFileSync(file, fixtureText('weather.csv').replace('29.4', '29.5'));
    expect((await loadCsvFile(file, 'play')).info.fingerprint).not.toBe(first);
    // An upload fingerprints like the file it is saved as (importCsv writes the text as UTF-8).
    expect(parseCsvText(fixtureText('weather.csv'), { target: 'play' }).info.fingerprint).toBe(
      parseCsvBytes(fixtureBytes('weather.csv'), { target: 'play' }).info.fingerprint,
    );
    const text = fixtureText('numeric-classes.csv');
    expect(parseCsvText(text, { target: 'grade' }).info.fingerprint).not.toBe(
      parseCsvText(text, { target: 'grade', task: 'regression' }).info.fingerprint,
    );
  });
});
