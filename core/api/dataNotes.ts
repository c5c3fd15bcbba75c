import type { DatasetInfo } from './domain.js';
import type { BatchDomain, StudySpec } from './spec.js';

/** Row counts of the training, validation and test parts: the one rule splitDataset follows. */
export interface PartRows {
  train: number;
  validation: number;
  test: number;
}

/**
 * round(rows * fraction) rows held out per part, at least 1 each, and the rest for training; the
 * held-out parts shrink first when rows are few. Train may be below 1 only when rows < parts.
 */
export function partRows(rows: number, validationSplit: number, testSplit?: number): PartRows {
  const held = (fraction: number) => Math.max(1, Math.round(rows * fraction));
  const test = testSplit === undefined ? 0 : Math.max(0, Math.min(rows - 2, held(testSplit)));
  const validation = Math.max(0, Math.min(rows - test - 1, held(validationSplit)));
  return { train: rows - validation - test, validation, test };
}

function largestBatch(domain: BatchDomain): number {
  if (typeof domain === 'number') return domain;
  return 'choice' in domain ? Math.max(...domain.choice) : domain.intRange[1];
}

/**
 * What a person should know about how the spec meets the data, derived from the stored spec and
 * dataset alone (the CLI and the UI show the same words): a batch size above the training rows
 * runs as one batch of all of them.
 */
export function dataNotes(spec: StudySpec, dataset: Pick<DatasetInfo, 'rows'>): string[] {
  const notes: string[] = [];
  const { train } = partRows(dataset.rows, spec.validationSplit, spec.testSplit);
  const largest = largestBatch(spec.space.batchSize);
  if (train > 0 && largest > train) {
    notes.push(`batch sizes above ${train} (the training rows) are clamped to ${train}: such trials train on one batch per epoch`);
  }
  return notes;
}

/** The note every test score carries: the validation value that chose the trial is optimistic. */
export const testScoreNote =
  'Test metrics are of each trial\'s best validation epoch, on rows never used for selection; ' +
  'the validation value is optimistic, because it picked both the epoch and the trial.';

/** The test metric that mirrors an objective: val_accuracy -> test_accuracy, val_loss -> test_loss. */
export function testMetricFor(objectiveMetric: string): string {
  return `test_${objectiveMetric.replace(/^val_/, '')}`;
}
