import type { CsvPreview } from '../../../core/api/contract.js';
import type { DatasetInfo } from '../../../core/api/domain.js';
import { estimateSweepSeconds, type EtaRange } from './eta.js';
import { parseIntList, type WizardState } from './specBuilder.js';

/** The estimate, or why there is none yet (shown in its place). */
export type WizardEta = { ok: true; range: EtaRange } | { ok: false; reason: string };

/** Dataset shape the estimate needs, from a built-in's info or a CSV preview. */
function shapeOf(state: WizardState, dataset: DatasetInfo | undefined, preview: CsvPreview | null) {
  if (state.datasetMode === 'builtin') return dataset ? { rows: dataset.rows, features: dataset.featureCount } : null;
  if (!preview) return null;
  let features = 0;
  for (const column of preview.columns) {
    // Categorical features are one-hot encoded: one input per distinct value; a date is three numbers.
    if (column.name !== state.csvTarget) features += column.kind === 'numeric' ? 1 : column.kind === 'date' ? 3 : column.distinct;
  }
  return { rows: preview.rowCount, features };
}

export function wizardEta(
  state: WizardState,
  trials: number,
  dataset: DatasetInfo | undefined,
  preview: CsvPreview | null,
  cores?: number,
): WizardEta {
  const shape = shapeOf(state, dataset, preview);
  if (!shape) return { ok: false, reason: state.datasetMode === 'csv' ? 'choose a CSV file first' : 'pick a dataset first' };
  if (trials <= 0) return { ok: false, reason: 'no trials planned: see the issues' };
  const batchSizes = parseIntList(state.batchSizes) ?? [];
  if (batchSizes.length === 0) return { ok: false, reason: 'enter batch sizes first' };
  if (!(state.epochs >= 1)) return { ok: false, reason: 'enter the epochs per trial' };
  const hasHidden = state.modelType === 'mlp' || state.modelType === 'cnn';
  const range = estimateSweepSeconds({
    trials,
    epochs: state.epochs,
    rows: shape.rows,
    trainRows: Math.round(shape.rows * (1 - state.validationSplit)),
    featureCount: shape.features,
    hidden: hasHidden ? (parseIntList(state.hidden) ?? []) : [],
    batchSizes,
    workers: state.workers >= 1 ? state.workers : 1,
    ...(cores ? { cores } : {}),
  });
  return { ok: true, range };
}
