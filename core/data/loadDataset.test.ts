import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncErrorOf, fixturePath } from '../../tests/support/csvFixtures.js';
import { loadDataset } from './loadDataset.js';

const fixturesDir = dirname(fixturePath('weather.csv'));

describe('loadDataset', () => {
  it('loads a built-in by reference', async () => {
    const ds = await loadDataset('builtin:iris', '/nowhere');
    expect(ds.info.key).toBe('builtin:iris');
    expect(ds.target).toHaveLength(150);
  });

  it('resolves a relative CSV path against the base directory and passes target and task', async () => {
    const ds = await loadDataset({ csv: 'weather.csv', target: 'humidity', task: 'regression' }, fixturesDir);
    expect(ds.info.path).toBe(fixturePath('weather.csv'));
    expect(ds.info.task).toBe('regression');
    expect(ds.target[0]).toBe(85);
    const absolute = await loadDataset({ csv: fixturePath('weather.csv'), target: 'play' }, '/elsewhere');
    expect(absolute.info.classes).toEqual(['no', 'yes']);
  });

  it('refuses an unknown built-in, a missing file and a malformed reference', async () => {
    const unknown = await asyncErrorOf(loadDataset('builtin:cifar10', fixturesDir));
    expect(unknown.code).toBe('DATASET_UNKNOWN');
    expect(unknown.message).toContain('the built-ins are: iris, penguins');
    const missing = await asyncErrorOf(loadDataset({ csv: 'nope.csv', target: 'y' }, fixturesDir));
    expect(missing.code).toBe('DATASET_UNKNOWN');
    expect(missing.message).toBe(`CSV file not found: ${fixturePath('nope.csv')}`);
    expect((await asyncErrorOf(loadDataset('iris', fixturesDir))).code).toBe('DATASET_UNKNOWN');
  });

  it('surfaces CSV errors with the file name and code', async () => {
    const error = await asyncErrorOf(loadDataset({ csv: 'ragged.csv', target: 'c' }, fixturesDir));
    expect(error.code).toBe('CSV_SHAPE');
    expect(error.message.startsWith('ragged.csv: the row on line 4 has 2 columns')).toBe(true);
  });
});
