import { readFileSync } from 'node:fs';
import type { ColumnInfo, DatasetInfo } from '../../api/domain.js';
import type { Dataset } from '../dataset.js';
import { datasetFingerprint } from '../fingerprint.js';
import { packageFile } from './packageFile.js';

const side = 28;
const pixels = side * side;
const digits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;
const classes = digits.map(String);

/** The images once decoded (31 MB: kept once per process); the 21 MB of JSON text is not kept. */
let decoded: { images: Float32Array; labels: Float32Array } | undefined;
let info: DatasetInfo | undefined;

function digitFiles(): Buffer[] {
  return digits.map((d) => readFileSync(packageFile('mnist', 'src', 'digits', `${d}.json`)));
}

/**
 * DatasetInfo without decoding the images (a UI list stays cheap): rows from the value count.
 * Pixel columns carry no statistics; they are intensities already scaled to [0, 1].
 */
export function mnistInfo(): DatasetInfo {
  if (!info) {
    const bytes = digitFiles();
    info = buildInfo(bytes, bytes.reduce((n, b) => n + countValues(b) / pixels, 0));
  }
  return info;
}

function buildInfo(bytes: Buffer[], rows: number): DatasetInfo {
  const columns: ColumnInfo[] = Array.from({ length: pixels }, (_, i) => ({ name: `pixel${i}`, kind: 'numeric', missing: 0 }));
  columns.push({ name: 'label', kind: 'categorical', categories: classes, missing: 0 });
  return {
    key: 'builtin:mnist',
    name: 'mnist',
    source: 'builtin',
    path: null,
    fingerprint: datasetFingerprint(bytes, 'label', 'classification'),
    rows,
    columns,
    target: 'label',
    task: 'classification',
    classes,
    featureCount: pixels,
    imageShape: [side, side, 1],
    description:
      `${rows} handwritten digits, 28x28 grey pixels scaled to [0, 1] (the mnist package, a subset of MNIST), ` +
      'rows ordered by digit (splits shuffle). Pixels are not standardised. No missing values.',
  };
}

/** The digits as a Dataset; the decoded images are cached, each call gets its own copy. */
export function mnistDataset(): Dataset {
  decoded ??= decodeAll();
  return {
    info: structuredClone(mnistInfo()),
    features: decoded.images.slice(),
    target: decoded.labels.slice(),
    featureNames: Array.from({ length: pixels }, (_, i) => `pixel${i}`),
    standardizeMask: new Uint8Array(pixels),
  };
}

/** Digits per class in mnist-small: 200 images, enough for a CNN to learn, few enough for a software GPU. */
export const mnistSmallPerDigit = 20;

let smallInfo: DatasetInfo | undefined;

/** mnist-small's info: mnist's columns, 200 rows, its own fingerprint (the same files, a different table). */
export function mnistSmallInfo(): DatasetInfo {
  if (!smallInfo) {
    const rows = mnistSmallPerDigit * digits.length;
    const whole = mnistInfo();
    const marker = Buffer.from(`\0first ${mnistSmallPerDigit} per digit`, 'utf8');
    smallInfo = {
      ...whole,
      key: 'builtin:mnist-small',
      name: 'mnist-small',
      fingerprint: datasetFingerprint([...digitFiles(), marker], 'label', 'classification'),
      rows,
      description:
        `${rows} handwritten digits, the first ${mnistSmallPerDigit} of each digit in mnist: for a quick CNN ` +
        'try or a slow backend (a software GPU). 28x28 grey pixels in [0, 1], not standardised; rows ordered by digit.',
    };
  }
  return structuredClone(smallInfo);
}

/** The first mnistSmallPerDigit images of each digit (mnist's rows are ordered by digit). */
export function mnistSmallDataset(): Dataset {
  decoded ??= decodeAll();
  const { images, labels } = decoded;
  const rows: number[] = [];
  let start = 0;
  for (let digit = 0; digit < digits.length; digit++) {
    for (let r = start; r < start + mnistSmallPerDigit; r++) rows.push(r);
    while (start < labels.length && labels[start] === digit) start++;
  }
  const features = new Float32Array(rows.length * pixels);
  rows.forEach((row, i) => features.set(images.subarray(row * pixels, (row + 1) * pixels), i * pixels));
  return {
    info: mnistSmallInfo(),
    features,
    target: Float32Array.from(rows, (row) => labels[row] as number),
    featureNames: Array.from({ length: pixels }, (_, i) => `pixel${i}`),
    standardizeMask: new Uint8Array(pixels),
  };
}

function decodeAll(): { images: Float32Array; labels: Float32Array } {
  const bytes = digitFiles();
  // Every value takes at least 2 bytes ("0,"): an upper bound, so no counting pass is needed.
  const scratch = new Float32Array(bytes.reduce((n, b) => n + (b.length >> 1), 0));
  const ends: number[] = [];
  let total = 0;
  for (const file of bytes) {
    total += decodeDigitFile(file, scratch, total);
    ends.push(total / pixels);
  }
  const labels = new Float32Array(total / pixels);
  ends.forEach((end, digit) => labels.fill(digit, digit === 0 ? 0 : ends[digit - 1], end));
  info ??= buildInfo(bytes, labels.length);
  return { images: scratch.slice(0, total), labels };
}

/**
 * Reads `{ "data": [0,0.2,...] }` straight from bytes into `out` at `offset`, returning the count:
 * about 3x faster than JSON.parse into a JS array. Anything but plain non-negative decimals (a
 * sign, an exponent) falls back to JSON.parse, so odd input is never misread.
 */
export function decodeDigitFile(bytes: Uint8Array, out: Float32Array, offset: number): number {
  let k = offset;
  let i = bytes.indexOf(0x5b) + 1; // '['
  const end = bytes.lastIndexOf(0x5d); // ']'
  while (i < end) {
    let c = bytes[i] as number;
    if (c === 0x2c || c === 0x20 || c === 0x0a || c === 0x0d) {
      i++;
      continue;
    }
    if (c < 0x30 || c > 0x39) return fallback(bytes, out, offset);
    let whole = 0;
    while (c >= 0x30 && c <= 0x39) {
      whole = whole * 10 + (c - 0x30);
      c = bytes[++i] as number;
    }
    let value = whole;
    if (c === 0x2e) {
      let fraction = 0;
      let scale = 1;
      c = bytes[++i] as number;
      while (c >= 0x30 && c <= 0x39) {
        fraction = fraction * 10 + (c - 0x30);
        scale *= 10;
        c = bytes[++i] as number;
      }
      // Exact integers, one correctly rounded division: for values below 1 exactly what JSON.parse gives.
      value = whole + fraction / scale;
    }
    out[k++] = value;
  }
  const count = k - offset;
  return count % pixels === 0 ? count : fallback(bytes, out, offset);
}

function fallback(bytes: Uint8Array, out: Float32Array, offset: number): number {
  const { data } = JSON.parse(Buffer.from(bytes).toString('utf8')) as { data: number[] };
  if (data.length % pixels !== 0) throw new Error(`mnist data file holds ${data.length} values, not a multiple of ${pixels}`);
  out.set(data, offset);
  return data.length;
}

/** Values in the file's one array: commas + 1 (a plain loop: far faster than indexOf per comma). */
function countValues(bytes: Uint8Array): number {
  let commas = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x2c) commas++;
  return commas + 1;
}
