import { partRows } from '../api/dataNotes.js';
import { TunebenchError } from '../api/errors.js';
import type { Dataset, DatasetSplit } from './dataset.js';
import { seededRng, shuffledIndices } from './rng.js';

/** Below this a feature is constant in the training part: it is centred, not scaled. */
const minStd = 1e-12;

/**
 * Shuffles the rows with `seed` (the same split on any machine) and holds out round(rows *
 * validationSplit) rows (at least 1) for validation and, when testSplit is given, round(rows *
 * testSplit) for a test part. Classification parts are stratified: each class is spread over the
 * parts in proportion, so a rare class is not missing from validation by chance. Features the mask
 * marks are standardised, and missing (NaN) values filled, with the mean and population std of the
 * training part only, so nothing about the held-out rows leaks into training.
 */
export function splitDataset(ds: Dataset, validationSplit: number, seed: number, testSplit?: number): DatasetSplit {
  for (const [name, value] of [['validationSplit', validationSplit], ['testSplit', testSplit ?? 0.5]] as const) {
    if (!(value > 0 && value < 1)) {
      throw new TunebenchError('ARGUMENT_INVALID', `${name} must be between 0 and 1 (exclusive), got ${value}`, [
        { where: `/${name}`, message: 'out of range' },
      ]);
    }
  }
  const rows = ds.target.length;
  const width = ds.info.featureCount;
  const parts = testSplit === undefined ? 2 : 3;
  if (rows < parts) {
    throw new TunebenchError(
      'DATASET_MISMATCH',
      `dataset "${ds.info.name}" has ${rows} row(s); at least ${parts} are needed for a training, a validation${parts === 3 ? ' and a test' : ''} part`,
    );
  }
  if (ds.features.length !== rows * width) {
    throw new Error(`dataset "${ds.info.name}": ${ds.features.length} feature values for ${rows} rows x ${width}`);
  }
  const { train: trainRows, validation: valRows, test: testRows } = partRows(rows, validationSplit, testSplit);
  const order = shuffledIndices(rows, seededRng(seed));
  const [trainOrder, valOrder, testOrder] =
    ds.info.task === 'classification'
      ? stratifiedParts(order, ds.target, valRows, testRows)
      : [order.subarray(0, trainRows), order.subarray(trainRows, trainRows + valRows), order.subarray(trainRows + valRows)];
  const pick = (indices: Uint32Array): { x: Float32Array; y: Float32Array } => {
    const x = new Float32Array(indices.length * width);
    const y = new Float32Array(indices.length);
    indices.forEach((source, r) => {
      x.set(ds.features.subarray(source * width, (source + 1) * width), r * width);
      y[r] = ds.target[source] as number;
    });
    return { x, y };
  };
  const train = pick(trainOrder);
  const val = pick(valOrder);
  const test = testRows > 0 ? pick(testOrder) : null;
  const { mean, std, columns } = trainStats(train.x, trainRows, width, ds.standardizeMask);
  for (const part of [train, val, test]) if (part) standardize(part.x, width, columns, mean, std);
  // Regression targets are standardised too: a target in grams would make every SGD step diverge.
  const target = ds.info.task === 'regression' ? targetStats(train.y) : null;
  if (target) {
    for (const part of [train, val, test]) {
      if (!part) continue;
      for (let i = 0; i < part.y.length; i++) part.y[i] = ((part.y[i] as number) - target.mean) / target.std;
    }
  }
  return {
    featureCount: width,
    classCount: ds.info.classes?.length ?? 0,
    task: ds.info.task,
    imageShape: ds.info.imageShape,
    trainX: train.x,
    trainY: train.y,
    valX: val.x,
    valY: val.y,
    trainRows,
    valRows,
    ...(test ? { testX: test.x, testY: test.y, testRows } : {}),
    featureMean: mean,
    featureStd: std,
    ...(target ? { targetMean: target.mean, targetStd: target.std } : {}),
  };
}

/**
 * The shuffled rows grouped by class (shuffled order kept within a class), then every k-th one
 * taken, so each class gives its share to the test and validation parts (exact totals, at most one
 * row off per class). Each part keeps the shuffled order, not the grouping.
 */
function stratifiedParts(order: Uint32Array, target: Float32Array, valRows: number, testRows: number): [Uint32Array, Uint32Array, Uint32Array] {
  const byClass = [...order].sort((a, b) => (target[a] as number) - (target[b] as number) || 0);
  const rank = new Map<number, number>();
  order.forEach((row, i) => rank.set(row, i));
  // Array.sort is stable, so rows of one class stay in shuffled order.
  const takeEvery = (from: number[], count: number): [number[], number[]] => {
    const taken: number[] = [];
    const rest: number[] = [];
    from.forEach((row, i) => (Math.floor(((i + 1) * count) / from.length) > Math.floor((i * count) / from.length) ? taken : rest).push(row));
    return [taken, rest];
  };
  const [test, afterTest] = takeEvery(byClass, testRows);
  const [val, train] = takeEvery(afterTest, valRows);
  const shuffledBack = (rows: number[]) => Uint32Array.from(rows.sort((a, b) => (rank.get(a) as number) - (rank.get(b) as number)));
  return [shuffledBack(train), shuffledBack(val), shuffledBack(test)];
}

function targetStats(y: Float32Array): { mean: number; std: number } {
  let sum = 0;
  for (const value of y) sum += value;
  const mean = sum / y.length;
  let squares = 0;
  for (const value of y) squares += (value - mean) ** 2;
  const std = Math.sqrt(squares / y.length);
  return { mean, std: std > minStd ? std : 1 };
}

/**
 * Mean and std per feature over the training rows' present (non-NaN) values; 0 and 1 where the
 * mask says to leave it, or where the training part has no value of the feature at all.
 */
function trainStats(x: Float32Array, rows: number, width: number, mask: Uint8Array | undefined) {
  const mean = new Float64Array(width);
  const std = new Float64Array(width).fill(1);
  const columns = [...Array(width).keys()].filter((j) => (mask ? mask[j] === 1 : true));
  for (const j of columns) {
    let sum = 0;
    let count = 0;
    for (let r = 0; r < rows; r++) {
      const v = x[r * width + j] as number;
      if (Number.isNaN(v)) continue;
      sum += v;
      count++;
    }
    if (count === 0) continue;
    const m = sum / count;
    let squares = 0;
    for (let r = 0; r < rows; r++) {
      const v = x[r * width + j] as number;
      if (!Number.isNaN(v)) squares += (v - m) ** 2;
    }
    const s = Math.sqrt(squares / count);
    mean[j] = m;
    if (s > minStd) std[j] = s;
  }
  return { mean, std, columns };
}

/** x' = (x - mean) / std; a missing value becomes 0, the training mean after standardising. */
function standardize(x: Float32Array, width: number, columns: number[], mean: Float64Array, std: Float64Array): void {
  for (const j of columns) {
    const m = mean[j] as number;
    const s = std[j] as number;
    for (let i = j; i < x.length; i += width) {
      const v = x[i] as number;
      x[i] = Number.isNaN(v) ? 0 : (v - m) / s;
    }
  }
}
