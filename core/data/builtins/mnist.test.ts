import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitDataset } from '../split.js';
import { decodeDigitFile } from './mnist.js';
import { packageFile } from './packageFile.js';
import { listBuiltinDatasets, loadBuiltinDataset } from './registry.js';

describe('mnist', () => {
  it('loads 10,000 real 28x28 digits in [0, 1] with 10 classes', () => {
    const started = performance.now();
    const ds = loadBuiltinDataset('mnist');
    const ms = performance.now() - started;
    expect(ds.info).toMatchObject({ rows: 10_000, featureCount: 784, task: 'classification', target: 'label' });
    expect(ds.info.imageShape).toEqual([28, 28, 1]);
    expect(ds.info.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(ds.features).toHaveLength(10_000 * 784);
    let min = Infinity;
    let max = -Infinity;
    for (const v of ds.features) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect([min, max]).toEqual([0, 1]);
    const counts = new Array<number>(10).fill(0);
    for (const label of ds.target) counts[label] = (counts[label] as number) + 1;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect([...(ds.standardizeMask ?? [])].every((m) => m === 0)).toBe(true);
    // Very generous (about 0.3 s on a quiet machine; tests share two cores): catches a pathological slowdown.
    expect(ms).toBeLessThan(10_000);
  });

  it('decodes the data files exactly as JSON.parse does', () => {
    const bytes = readFileSync(packageFile('mnist', 'src', 'digits', '5.json'));
    const expected = Float32Array.from((JSON.parse(bytes.toString('utf8')) as { data: number[] }).data);
    const decoded = new Float32Array(bytes.length);
    expect(decodeDigitFile(bytes, decoded, 0)).toBe(863 * 784);
    // A plain loop: a deep toEqual over 676,592 floats takes seconds.
    let differences = 0;
    for (let i = 0; i < expected.length; i++) if (decoded[i] !== expected[i]) differences++;
    expect(differences).toBe(0);
    const odd = Buffer.from(`{"data":[${new Array(784).fill('1e-1').join(',')}]}`);
    const out = new Float32Array(1000);
    expect(decodeDigitFile(odd, out, 10)).toBe(784);
    expect([out[9], out[10], out[793], out[794]]).toEqual([0, Math.fround(0.1), Math.fround(0.1), 0]);
  });

  it('splits without standardising pixels', () => {
    const split = splitDataset(loadBuiltinDataset('mnist'), 0.1, 3);
    expect([split.trainRows, split.valRows]).toEqual([9000, 1000]);
    expect(split.imageShape).toEqual([28, 28, 1]);
    expect(split.classCount).toBe(10);
    expect(Math.min(...split.valX.subarray(0, 784 * 20))).toBe(0);
    expect(Math.max(...split.valX.subarray(0, 784 * 20))).toBeLessThanOrEqual(1);
    expect(split.featureStd?.every((s) => s === 1)).toBe(true);
  });

  it('mnist-small: the first 20 images of each digit, exactly as mnist holds them, with its own fingerprint', () => {
    const whole = loadBuiltinDataset('mnist');
    const small = loadBuiltinDataset('mnist-small');
    expect(small.info).toMatchObject({ key: 'builtin:mnist-small', rows: 200, featureCount: 784, imageShape: [28, 28, 1], task: 'classification' });
    expect(small.features).toHaveLength(200 * 784);
    expect([...small.target]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((digit) => new Array<number>(20).fill(digit)));
    // Digit 3's first image is mnist's row 1001 + 1127 + 991 (after every 0, 1 and 2).
    const mnistRow = (ds: typeof whole, r: number) => ds.features.subarray(r * 784, (r + 1) * 784);
    expect(mnistRow(small, 60)).toEqual(mnistRow(whole, 1001 + 1127 + 991));
    expect(mnistRow(small, 199)).toEqual(mnistRow(whole, 10_000 - 978 + 19));
    const listed = listBuiltinDatasets().find((info) => info.key === 'builtin:mnist-small');
    expect(listed).toEqual(small.info);
    expect(small.info.fingerprint).not.toBe(whole.info.fingerprint);
    expect(small.info.columns).toEqual(whole.info.columns);
  });
});
