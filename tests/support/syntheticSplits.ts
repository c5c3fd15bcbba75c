import { xoroshiro128plus } from 'pure-rand';
import type { DatasetSplit } from '../../core/data/dataset.js';

/** Tiny seeded datasets for the training tests: no files, no core/data. */

function normal(next: () => number): number {
  // Box-Muller from two uniforms in (0, 1].
  const u = 1 - next();
  const v = next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

function uniformSource(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => (rng.unsafeNext() >>> 0) / 0x100000000;
}

function split(
  x: Float32Array,
  y: Float32Array,
  rows: number,
  features: number,
  valRows: number,
  rest: Pick<DatasetSplit, 'classCount' | 'task' | 'imageShape'>,
): DatasetSplit {
  const trainRows = rows - valRows;
  return {
    featureCount: features,
    ...rest,
    trainX: x.slice(0, trainRows * features),
    trainY: y.slice(0, trainRows),
    valX: x.slice(trainRows * features),
    valY: y.slice(trainRows),
    trainRows,
    valRows,
  };
}

/** Iris-like: 3 gaussian blobs in 4 dimensions, shuffled, 150 rows (120 train / 30 validation). */
export function blobsSplit(seed = 1, rows = 150, classes = 3, features = 4): DatasetSplit {
  const next = uniformSource(seed);
  const centres = Array.from({ length: classes }, () =>
    Array.from({ length: features }, () => normal(next) * 2),
  );
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const c = r % classes;
    y[r] = c;
    for (let f = 0; f < features; f++) x[r * features + f] = (centres[c]?.[f] ?? 0) + normal(next) * 0.7;
  }
  return split(x, y, rows, features, Math.round(rows * 0.2), {
    classCount: classes,
    task: 'classification',
    imageShape: null,
  });
}

/** y = 2 x0 - x1 + 0.5 + noise, 3 features (the third is noise), 100 rows. */
export function linearSplit(seed = 2, rows = 100): DatasetSplit {
  const next = uniformSource(seed);
  const features = 3;
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) x[r * features + f] = normal(next);
    y[r] = 2 * (x[r * features] ?? 0) - (x[r * features + 1] ?? 0) + 0.5 + normal(next) * 0.05;
  }
  return split(x, y, rows, features, 20, { classCount: 0, task: 'regression', imageShape: null });
}

/** 8x8 one-channel "images": class 0 lights the top half, class 1 the bottom, with noise. */
export function tinyImagesSplit(seed = 3, rows = 64): DatasetSplit {
  const next = uniformSource(seed);
  const side = 8;
  const features = side * side;
  const x = new Float32Array(rows * features);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const c = r % 2;
    y[r] = c;
    for (let p = 0; p < features; p++) {
      const isLit = (p < features / 2) === (c === 0);
      x[r * features + p] = (isLit ? 1 : -1) + normal(next) * 0.3;
    }
  }
  return split(x, y, rows, features, 16, { classCount: 2, task: 'classification', imageShape: [side, side, 1] });
}
