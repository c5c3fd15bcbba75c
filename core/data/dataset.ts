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
  /** One name per feature: the column name, or `column=value` for a one-hot feature. */
  featureNames?: string[];
  /**
   * 1 where a split standardises the feature (numeric columns), 0 where it is left as is
   * (one-hot 0/1 columns, image pixels already in [0, 1]). Absent: every feature is standardised.
   */
  standardizeMask?: Uint8Array;
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
  /** Present only when the spec asks for a test part; never used for selection. */
  testX?: Float32Array;
  testY?: Float32Array;
  testRows?: number;
  /**
   * The shift and scale applied per feature, x' = (x - mean) / std (0 and 1 where a feature is not
   * standardised), so a saved model can prepare new rows the same way. Always set by splitDataset.
   * Float64, as computed: a float32 mean of a year (2021.37) is off by 1e-4, a visible shift.
   */
  featureMean?: Float64Array;
  featureStd?: Float64Array;
  /**
   * Regression only: y' = (y - targetMean) / targetStd on both parts. Losses are in these units;
   * MAE metrics are reported back in the target's own units.
   */
  targetMean?: number;
  targetStd?: number;
}
