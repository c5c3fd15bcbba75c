import { TunebenchError } from '../api/errors.js';
import type { Dataset, DatasetSplit } from './dataset.js';
import { seededRng, shuffledIndices } from './rng.js';

/** Below this a feature is constant in the training part: it is centred, not scaled. */
const minStd = 1e-12;

/**
 * Shuffles the rows with `seed` (the same split on any machine), holds out
 * round(rows * validationSplit) rows (at least 1) for validation, and standardises the features
 * the mask marks with the mean and population std of the training part only, so nothing about the
 * validation rows leaks into training. One-hot and image features are left as they are.
 */
export function splitDataset(ds: Dataset, validationSplit: number, seed: number): DatasetSplit {
  if (!(validationSplit > 0 && validationSplit < 1)) {
    throw new TunebenchError('ARGUMENT_INVALID', `validationSplit must be between 0 and 1 (exclusive), got ${validationSplit}`, [
      { where: '/validationSplit', message: 'out of range' },
    ]);
  }
  const rows = ds.target.length;
  const width = ds.info.featureCount;
  if (rows < 2) {
    throw new TunebenchError(
      'DATASET_MISMATCH',
      `dataset "${ds.info.name}" has ${rows} row(s); at least 2 are needed for a training and a validation part`,
    );
  }
  if (ds.features.length !== rows * width) {
    throw new Error(`dataset "${ds.info.name}": ${ds.features.length} feature values for ${rows} rows x ${width}`);
  }
  const valRows = Math.min(rows - 1, Math.max(1, Math.round(rows * validationSplit)));
  const trainRows = rows - valRows;
  const order = shuffledIndices(rows, seededRng(seed));
  const pick = (from: number, count: number): { x: Float32Array; y: Float32Array } => {
    const x = new Float32Array(count * width);
    const y = new Float32Array(count);
    for (let r = 0; r < count; r++) {
      const source = order[from + r] as number;
      x.set(ds.features.subarray(source * width, (source + 1) * width), r * width);
      y[r] = ds.target[source] as number;
    }
    return { x, y };
  };
  const train = pick(0, trainRows);
  const val = pick(trainRows, valRows);
  const { mean, std, columns } = trainStats(train.x, trainRows, width, ds.standardizeMask);
  standardize(train.x, width, columns, mean, std);
  standardize(val.x, width, columns, mean, std);
  // Regression targets are standardised too: a target in grams would make every SGD step diverge.
  const target = ds.info.task === 'regression' ? targetStats(train.y) : null;
  if (target) {
    for (const y of [train.y, val.y]) for (let i = 0; i < y.length; i++) y[i] = ((y[i] as number) - target.mean) / target.std;
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
    featureMean: Float32Array.from(mean),
    featureStd: Float32Array.from(std),
    ...(target ? { targetMean: target.mean, targetStd: target.std } : {}),
  };
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

/** Mean and std per feature over the training rows; 0 and 1 where the mask says to leave it. */
function trainStats(x: Float32Array, rows: number, width: number, mask: Uint8Array | undefined) {
  const mean = new Float64Array(width);
  const std = new Float64Array(width).fill(1);
  const columns = [...Array(width).keys()].filter((j) => (mask ? mask[j] === 1 : true));
  for (const j of columns) {
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += x[r * width + j] as number;
    const m = sum / rows;
    let squares = 0;
    for (let r = 0; r < rows; r++) squares += ((x[r * width + j] as number) - m) ** 2;
    const s = Math.sqrt(squares / rows);
    mean[j] = m;
    if (s > minStd) std[j] = s;
  }
  return { mean, std, columns };
}

function standardize(x: Float32Array, width: number, columns: number[], mean: Float64Array, std: Float64Array): void {
  for (const j of columns) {
    const m = mean[j] as number;
    const s = std[j] as number;
    for (let i = j; i < x.length; i += width) x[i] = ((x[i] as number) - m) / s;
  }
}
