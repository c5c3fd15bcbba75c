import { describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../api/domain.js';
import type { Dataset } from './dataset.js';
import { errorOf } from '../../tests/support/csvFixtures.js';
import { parseCsvText } from './csvDataset.js';
import { splitDataset } from './split.js';

/** rows x 3 features: a numeric 0..rows-1, a one-hot flag, and a numeric 10*row; target = row. */
function toyDataset(rows: number): Dataset {
  const features = new Float32Array(rows * 3);
  for (let r = 0; r < rows; r++) features.set([r, r % 2, 10 * r], r * 3);
  const info: DatasetInfo = {
    key: 'builtin:toy',
    name: 'toy',
    source: 'builtin',
    path: null,
    fingerprint: '0'.repeat(64),
    rows,
    columns: [],
    target: 'y',
    task: 'regression',
    classes: null,
    featureCount: 3,
    imageShape: null,
    description: '',
  };
  return { info, features, target: Float32Array.from({ length: rows }, (_, r) => r), standardizeMask: Uint8Array.from([1, 0, 1]) };
}

const column = (x: Float32Array, j: number) => [...x].filter((_, i) => i % 3 === j);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
/** The toy's targets are row numbers; undo the regression target scaling to read them back. */
const rowsOf = (split: ReturnType<typeof splitDataset>, y: Float32Array) =>
  [...y].map((v) => Math.round(v * (split.targetStd ?? 1) + (split.targetMean ?? 0)) + 0); // + 0 turns -0 into 0

describe('splitDataset', () => {
  it('holds out round(rows * fraction) rows and keeps every row exactly once', () => {
    const split = splitDataset(toyDataset(100), 0.2, 7);
    expect(split.trainRows).toBe(80);
    expect(split.valRows).toBe(20);
    expect(split.trainX).toHaveLength(240);
    expect([...rowsOf(split, split.trainY), ...rowsOf(split, split.valY)].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('gives the same split for the same seed and another for another seed', () => {
    const ds = toyDataset(100);
    const a = splitDataset(ds, 0.2, 42);
    const b = splitDataset(ds, 0.2, 42);
    const c = splitDataset(ds, 0.2, 43);
    expect(b.valY).toEqual(a.valY);
    expect(b.trainX).toEqual(a.trainX);
    expect(c.valY).not.toEqual(a.valY);
    // Pinned, so a change of generator or shuffle (which would change every study's split) is noticed.
    expect(rowsOf(a, a.trainY).slice(0, 5)).toEqual([68, 99, 26, 2, 20]);
    expect(rowsOf(a, a.valY).slice(0, 5)).toEqual([64, 60, 28, 92, 98]);
  });

  it('standardises numeric features with the training part only and leaves one-hot columns', () => {
    const split = splitDataset(toyDataset(50), 0.2, 1);
    const trainRow = column(split.trainX, 0);
    expect(Math.abs(mean(trainRow))).toBeLessThan(1e-6);
    expect(Math.sqrt(mean(trainRow.map((v) => v * v)))).toBeCloseTo(1, 5);
    expect(new Set(column(split.trainX, 1))).toEqual(new Set([0, 1]));
    // Validation rows are scaled with the training mean and std, so they map back exactly.
    const m = split.featureMean?.[0] ?? NaN;
    const s = split.featureStd?.[0] ?? NaN;
    const rawTrain = rowsOf(split, split.trainY);
    expect(m).toBeCloseTo(mean(rawTrain), 4);
    expect(s).toBeCloseTo(Math.sqrt(mean(rawTrain.map((v) => (v - m) ** 2))), 4);
    const rawVal = rowsOf(split, split.valY);
    column(split.valX, 0).forEach((v, i) => expect(v * s + m).toBeCloseTo(rawVal[i] as number, 3));
    expect(split.featureMean?.[1]).toBe(0);
    expect(split.featureStd?.[1]).toBe(1);
  });

  it('standardises regression targets with the training part only; class indices stay as they are', () => {
    const split = splitDataset(toyDataset(50), 0.2, 1);
    expect(Math.abs(mean([...split.trainY]))).toBeLessThan(1e-6);
    expect(Math.sqrt(mean([...split.trainY].map((v) => v * v)))).toBeCloseTo(1, 5);
    const raw = rowsOf(split, split.trainY);
    expect(split.targetMean).toBeCloseTo(mean(raw), 4);
    const classes = toyDataset(50);
    classes.info = { ...classes.info, task: 'classification', classes: ['a', 'b'] };
    classes.target = Float32Array.from({ length: 50 }, (_, r) => r % 2);
    const classSplit = splitDataset(classes, 0.2, 1);
    expect(new Set(classSplit.trainY)).toEqual(new Set([0, 1]));
    expect(classSplit.targetStd).toBeUndefined();
  });

  it('maps a constant feature to 0 rather than dividing by zero', () => {
    const ds = toyDataset(10);
    for (let r = 0; r < 10; r++) ds.features[r * 3 + 2] = 5;
    const split = splitDataset(ds, 0.3, 3);
    expect(new Set(column(split.trainX, 2))).toEqual(new Set([0]));
    expect(new Set(column(split.valX, 2))).toEqual(new Set([0]));
  });

  it('keeps at least one validation and one training row, and refuses a dataset too small to split', () => {
    const tiny = splitDataset(toyDataset(3), 0.01, 1);
    expect([tiny.trainRows, tiny.valRows]).toEqual([2, 1]);
    const most = splitDataset(toyDataset(2), 0.99, 1);
    expect([most.trainRows, most.valRows]).toEqual([1, 1]);
    const error = errorOf(() => splitDataset(toyDataset(1), 0.2, 1));
    expect(error.code).toBe('DATASET_MISMATCH');
    expect(error.message).toContain('has 1 row(s); at least 2 are needed');
    expect(errorOf(() => splitDataset(toyDataset(10), 1, 1)).code).toBe('ARGUMENT_INVALID');
    expect(errorOf(() => splitDataset(toyDataset(10), 0.2, 1.5)).code).toBe('ARGUMENT_INVALID');
  });

  it('fills a missing value with the training part\'s mean, not one shaped by held-out rows', () => {
    // Row values 0..39, a huge value on every row that lands in validation, and row 0's x missing.
    const plain = splitDataset(parseCsvText(csvOf(40, (r) => (r === 0 ? '' : String(r))), { target: 'y' }), 0.25, 5);
    const heldOut = new Set(rowsOf(plain, plain.valY));
    expect(heldOut.has(0)).toBe(false);
    const ds = parseCsvText(csvOf(40, (r) => (r === 0 ? '' : heldOut.has(r) ? '1000000' : String(r))), { target: 'y' });
    const split = splitDataset(ds, 0.25, 5);
    const trainRows = rowsOf(split, split.trainY);
    const present = trainRows.filter((r) => r !== 0);
    expect(split.featureMean?.[0]).toBeCloseTo(mean(present), 3);
    // The missing cell is the training mean, which is 0 once standardised.
    expect(column1(split.trainX)[trainRows.indexOf(0)]).toBe(0);
  });

  it('stratifies classification splits: each class keeps its share in every part, for any seed', () => {
    const ds = toyDataset(100);
    ds.info = { ...ds.info, task: 'classification', classes: ['common', 'rare'] };
    ds.target = Float32Array.from({ length: 100 }, (_, r) => (r % 10 === 0 ? 1 : 0));
    for (let seed = 0; seed < 30; seed++) {
      const split = splitDataset(ds, 0.2, seed, 0.1);
      expect([split.trainRows, split.valRows, split.testRows]).toEqual([70, 20, 10]);
      expect([...split.valY].filter((y) => y === 1)).toHaveLength(2);
      expect([...(split.testY ?? [])].filter((y) => y === 1)).toHaveLength(1);
      expect([...split.trainY].filter((y) => y === 1)).toHaveLength(7);
    }
    const a = splitDataset(ds, 0.2, 4);
    expect(splitDataset(ds, 0.2, 4).valX).toEqual(a.valX);
    expect(splitDataset(ds, 0.2, 5).valX).not.toEqual(a.valX);
  });

  it('holds out a test part, standardised with the training statistics, every row used once', () => {
    const split = splitDataset(toyDataset(100), 0.2, 7, 0.15);
    expect([split.trainRows, split.valRows, split.testRows]).toEqual([65, 20, 15]);
    const all = [split.trainY, split.valY, split.testY ?? new Float32Array()].flatMap((y) => rowsOf(split, y));
    expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const m = split.featureMean?.[0] ?? NaN;
    const s = split.featureStd?.[0] ?? NaN;
    const rawTest = rowsOf(split, split.testY ?? new Float32Array());
    column(split.testX ?? new Float32Array(), 0).forEach((v, i) => expect(v * s + m).toBeCloseTo(rawTest[i] as number, 3));
    // Without testSplit the split is exactly what it was.
    expect(splitDataset(toyDataset(100), 0.2, 7).testX).toBeUndefined();
    expect(errorOf(() => splitDataset(toyDataset(2), 0.2, 1, 0.2)).message).toContain('at least 3 are needed');
  });
});

/** Columns x (from `x`) and y = row number, as CSV text. */
function csvOf(rows: number, x: (row: number) => string): string {
  const lines = ['x,z,y'];
  for (let r = 0; r < rows; r++) lines.push(`${x(r)},${r % 3},${r}`);
  return lines.join('\n');
}

const column1 = (x: Float32Array) => [...x].filter((_, i) => i % 2 === 0);
