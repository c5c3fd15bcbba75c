import type { DatasetInfo } from '../api/domain.js';

/**
 * A dataset ready for training: features already encoded (numeric columns as is, categorical
 * one-hot), row-major. Standardisation happens per split, with statistics of the training part.
 */
export interface Dataset {
  info: DatasetInfo;
  /** rows x featureCount, row-major. */
  features: Float32Array;
  /** Class index (classification) or the target value (regression), one per row. */
  target: Float32Array;
}

/** A seeded train/validation split, standardised with the training part's mean and std. */
export interface DatasetSplit {
  featureCount: number;
  classCount: number;
  task: DatasetInfo['task'];
  imageShape: DatasetInfo['imageShape'];
  trainX: Float32Array;
  trainY: Float32Array;
  valX: Float32Array;
  valY: Float32Array;
  trainRows: number;
  valRows: number;
}
