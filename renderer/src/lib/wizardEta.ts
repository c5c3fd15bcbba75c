import type { CsvPreview } from '../../../core/api/contract.js';
import type { DatasetInfo } from '../../../core/api/domain.js';
import { estimateSweepSeconds } from './eta.js';
import { parseIntList, type WizardState } from './specBuilder.js';

/** Dataset shape the estimate needs, from a built-in's info or a CSV preview. */
function shapeOf(state: WizardState, dataset: DatasetInfo | undefined, preview: CsvPreview | null) {
  if (state.datasetMode === 'builtin') {
    if (!dataset) return null;
    return { rows: dataset.rows, features: dataset.featureCount, outputs: dataset.classes?.length ?? 1 };
  }
  if (!preview) return null;
  let features = 0;
  let outputs = 1;
  for (const column of preview.columns) {
    const width = column.kind === 'numeric' ? 1 : column.distinct;
    if (column.name === state.csvTarget) outputs = state.csvTask === 'classification' ? Math.max(2, column.distinct) : 1;
    else features += width;
  }
  return { rows: preview.rowCount, features, outputs };
}

/** Seconds the sweep may take, or null when the dataset shape is not known yet. */
export function wizardEtaSeconds(
  state: WizardState,
  trials: number,
  dataset: DatasetInfo | undefined,
  preview: CsvPreview | null,
): number | null {
  const shape = shapeOf(state, dataset, preview);
  const batches = parseIntList(state.batchSizes) ?? [];
  if (!shape || trials <= 0 || batches.length === 0) return null;
  const hasHidden = state.modelType === 'mlp' || state.modelType === 'cnn';
  return estimateSweepSeconds({
    trials,
    epochs: state.epochs,
    rows: Math.round(shape.rows * (1 - state.validationSplit)),
    featureCount: shape.features,
    outputs: shape.outputs,
    hidden: hasHidden ? (parseIntList(state.hidden) ?? []) : [],
    meanBatchSize: batches.reduce((sum, size) => sum + size, 0) / batches.length,
    workers: state.workers,
  });
}
