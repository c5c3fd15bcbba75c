import type { CsvPreview } from '../../../core/api/contract.js';
import type { DatasetInfo } from '../../../core/api/domain.js';
import { estimateSweepSeconds, trialsStartedWithin, type EtaRange } from './eta.js';
import { formatCount, formatEtaRange, formatNumber } from './format.js';
import { parseIntList, type WizardState } from './specBuilder.js';

/** Where a time budget (limits.maxMinutes) cuts the sweep short. */
export interface BudgetCut {
  minutes: number;
  /** The estimate ran past the budget (at the pessimistic end at least). */
  isBinding: boolean;
  /** Trials expected to start before the budget is spent (no new one starts after it). */
  trialsStarted: EtaRange;
}

/** The estimate, or why there is none yet (shown in its place); with a budget, never past it. */
export type WizardEta = { ok: true; range: EtaRange; budget: BudgetCut | null } | { ok: false; reason: string };

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
  const input = {
    trials,
    epochs: state.epochs,
    rows: shape.rows,
    trainRows: Math.round(shape.rows * (1 - state.validationSplit)),
    featureCount: shape.features,
    hidden: hasHidden ? (parseIntList(state.hidden) ?? []) : [],
    batchSizes,
    workers: state.workers >= 1 ? state.workers : 1,
    ...(cores ? { cores } : {}),
  };
  // Packing is left out of the cost model: which trials share a pack depends on the plan and the
  // backend (wasm/cpu only), and its measured gain is for the bench grid, not per trial here.
  const range = estimateSweepSeconds(input);
  const minutes = state.maxMinutes;
  if (minutes === undefined || !(minutes > 0)) return { ok: true, range, budget: null };
  const seconds = minutes * 60;
  const budget = { minutes, isBinding: range.high > seconds, trialsStarted: trialsStartedWithin(input, seconds) };
  return { ok: true, range: { low: Math.min(range.low, seconds), high: Math.min(range.high, seconds) }, budget };
}

/** The summary's time line: "≈ 7–17 s", or with a budget "at most 30 min (budget)". */
export function wizardEtaText(eta: WizardEta): string {
  if (!eta.ok) return eta.reason;
  const { range, budget } = eta;
  const estimate = `≈ ${formatEtaRange(range.low, range.high)}`;
  if (!budget) return estimate;
  const limit = `${formatNumber(budget.minutes)} min`;
  if (!budget.isBinding) return `${estimate}, within the ${limit} budget`;
  // Both ends at the budget: the sweep is cut short whatever the costs.
  if (range.low >= range.high) return `at most ${limit} (budget)`;
  return `${estimate}: at most ${limit} (budget)`;
}

/** How many planned trials a binding budget lets start, or null when it cuts none. */
export function budgetTrialsText(eta: WizardEta, planned: number): string | null {
  if (!eta.ok || !eta.budget?.isBinding) return null;
  const { low, high } = eta.budget.trialsStarted;
  if (low >= planned) return null;
  const count = low === high ? formatCount(low) : `${formatCount(low)}–${formatCount(high)}`;
  return `about ${count} of ${formatCount(planned)} start within the budget`;
}
