import { describe, expect, it } from 'vitest';
import { splitDataset } from '../split.js';
import { builtinNames, listBuiltinDatasets, loadBuiltinDataset } from './registry.js';

const row = (x: Float32Array, width: number, r: number) => [...x.subarray(r * width, (r + 1) * width)];

describe('built-in datasets', () => {
  it('lists every built-in with a fingerprint, description and column stats', () => {
    const list = listBuiltinDatasets();
    expect(list.map((d) => d.key)).toEqual([
      'builtin:iris',
      'builtin:penguins',
      'builtin:penguins-mass',
      'builtin:mnist',
      'builtin:mnist-small',
      'builtin:synthetic-linear',
    ]);
    for (const info of list) {
      expect(info.fingerprint, info.key).toMatch(/^[0-9a-f]{64}$/);
      expect(info.description.length, info.key).toBeGreaterThan(40);
      expect(info.columns.some((c) => c.name === info.target), info.key).toBe(true);
    }
    expect(new Set(list.map((d) => d.fingerprint)).size).toBe(list.length);
    // The cached list is not shared: a caller cannot change what the next one sees.
    (list[0] as { rows: number }).rows = 0;
    expect(listBuiltinDatasets()[0]?.rows).toBe(150);
  });

  it('iris: 150 rows, 4 standardised features, 3 classes', () => {
    const ds = loadBuiltinDataset('iris');
    expect(ds.info).toMatchObject({ rows: 150, featureCount: 4, task: 'classification', target: 'species', imageShape: null });
    expect(ds.info.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(row(ds.features, 4, 0)).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect([ds.target[0], ds.target[50], ds.target[149]]).toEqual([0, 1, 2]);
    expect([...(ds.standardizeMask ?? [])]).toEqual([1, 1, 1, 1]);
    const sepal = ds.info.columns[0];
    expect(sepal).toMatchObject({ name: 'sepal_length', kind: 'numeric', missing: 0, min: 4.3, max: 7.9 });
    expect(sepal?.mean).toBeCloseTo(5.8433, 4);
  });

  it('penguins: species from measurements, island and sex, missing values by the rule', () => {
    const ds = loadBuiltinDataset('penguins');
    const { info } = ds;
    expect(info).toMatchObject({ rows: 344, featureCount: 10, task: 'classification', target: 'Species' });
    expect(info.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(ds.featureNames).toEqual([
      'Island=Biscoe',
      'Island=Dream',
      'Island=Torgersen',
      'Beak Length (mm)',
      'Beak Depth (mm)',
      'Flipper Length (mm)',
      'Body Mass (g)',
      'Sex=FEMALE',
      'Sex=MALE',
      'Sex=(missing)',
    ]);
    expect([...(ds.standardizeMask ?? [])]).toEqual([0, 0, 0, 1, 1, 1, 1, 0, 0, 0]);
    expect(info.columns.find((c) => c.name === 'Sex')).toEqual({
      name: 'Sex',
      kind: 'categorical',
      categories: ['FEMALE', 'MALE', '(missing)'],
      missing: 11,
    });
    expect(row(ds.features, 10, 0)).toEqual([0, 0, 1, Math.fround(39.1), Math.fround(18.7), 181, 3750, 0, 1, 0]);
    // Row 3 has no measurements at all: they stay NaN for the split to fill, and Sex is "(missing)".
    const mass = info.columns.find((c) => c.name === 'Body Mass (g)');
    expect(mass?.missing).toBe(2);
    expect(row(ds.features, 10, 3)[6]).toBeNaN();
    expect(row(ds.features, 10, 3)[9]).toBe(1);
    expect(info.description).toContain('"Sex": 11 missing, encoded as "(missing)"');
  });

  it('penguins-mass: body mass regression, rows without a mass dropped', () => {
    const ds = loadBuiltinDataset('penguins-mass');
    expect(ds.info).toMatchObject({ rows: 342, featureCount: 12, task: 'regression', target: 'Body Mass (g)', classes: null });
    expect([...ds.target.slice(0, 3)]).toEqual([3750, 3800, 3250]);
    expect(ds.featureNames?.slice(0, 3)).toEqual(['Species=Adelie', 'Species=Chinstrap', 'Species=Gentoo']);
    expect(ds.info.description).toContain('Dropped 2 row(s) with no "Body Mass (g)".');
  });

  it('synthetic-linear: deterministic, and least squares recovers the coefficients', () => {
    const ds = loadBuiltinDataset('synthetic-linear');
    expect(ds.info).toMatchObject({ rows: 1000, featureCount: 3, task: 'regression', target: 'y' });
    expect(loadBuiltinDataset('synthetic-linear').features).toEqual(ds.features);
    const [b0, b1, b2, b3, residual] = leastSquares(ds.features, ds.target, 3);
    expect(b0).toBeCloseTo(4, 0);
    expect(b1).toBeCloseTo(3, 1);
    expect(b2).toBeCloseTo(-2, 1);
    expect(b3).toBeCloseTo(0.5, 1);
    expect(residual).toBeGreaterThan(0.2);
    expect(residual).toBeLessThan(0.3);
  });

  it('hands out copies: changing one load does not change the next', () => {
    const first = loadBuiltinDataset('iris');
    first.features[0] = 99;
    first.info.rows = 1;
    const second = loadBuiltinDataset('iris');
    expect(second.features[0]).toBe(Math.fround(5.1));
    expect(second.info.rows).toBe(150);
  });

  it('splits every small built-in with standardised train features', () => {
    for (const name of builtinNames.filter((n) => n !== 'mnist')) {
      const ds = loadBuiltinDataset(name);
      const split = splitDataset(ds, 0.2, 5);
      const width = split.featureCount;
      const mask = ds.standardizeMask ?? new Uint8Array(width);
      for (let j = 0; j < width; j++) {
        if (mask[j] !== 1) continue;
        let sum = 0;
        for (let r = 0; r < split.trainRows; r++) sum += split.trainX[r * width + j] as number;
        expect(Math.abs(sum / split.trainRows), `${name} feature ${j}`).toBeLessThan(1e-5);
      }
    }
  });

  it('refuses an unknown name, listing the built-ins', () => {
    expect(() => loadBuiltinDataset('cifar')).toThrow('no built-in dataset "cifar"; the built-ins are: iris, penguins, penguins-mass, mnist, mnist-small, synthetic-linear');
    expect(() => loadBuiltinDataset('toString')).toThrow('no built-in dataset');
  });
});

/** Ordinary least squares with an intercept: [b0..bk, mean squared residual]. */
function leastSquares(x: Float32Array, y: Float32Array, k: number): number[] {
  const n = y.length;
  const size = k + 1;
  const a = Array.from({ length: size }, () => new Array<number>(size + 1).fill(0));
  for (let r = 0; r < n; r++) {
    const v = [1, ...x.subarray(r * k, (r + 1) * k)];
    for (let i = 0; i < size; i++) {
      const rowI = a[i] as number[];
      for (let j = 0; j <= size; j++) rowI[j] = (rowI[j] as number) + (v[i] as number) * ((j < size ? v[j] : y[r]) as number);
    }
  }
  for (let i = 0; i < size; i++) {
    const pivot = a[i] as number[];
    for (let j = i + 1; j < size; j++) {
      const rowJ = a[j] as number[];
      const f = (rowJ[i] as number) / (pivot[i] as number);
      for (let c = i; c <= size; c++) rowJ[c] = (rowJ[c] as number) - f * (pivot[c] as number);
    }
  }
  const b = new Array<number>(size).fill(0);
  for (let i = size - 1; i >= 0; i--) {
    const rowI = a[i] as number[];
    let s = rowI[size] as number;
    for (let j = i + 1; j < size; j++) s -= (rowI[j] as number) * (b[j] as number);
    b[i] = s / (rowI[i] as number);
  }
  let squares = 0;
  for (let r = 0; r < n; r++) {
    let p = b[0] as number;
    for (let j = 0; j < k; j++) p += (b[j + 1] as number) * (x[r * k + j] as number);
    squares += ((y[r] as number) - p) ** 2;
  }
  return [...b, squares / n];
}
