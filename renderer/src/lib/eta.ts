/** What the wizard knows when it estimates how long a sweep takes. */
export interface EtaInput {
  trials: number;
  epochs: number;
  /** Training rows (dataset rows times the train share). */
  rows: number;
  featureCount: number;
  outputs: number;
  hidden: number[];
  meanBatchSize: number;
  workers: number;
}

/** Effective multiply-adds per second of one tfjs-wasm worker on small dense layers (measured roughly). */
const macsPerSecond = 1.5e8;
/** Fixed cost of one optimizer step (kernel dispatch), which dominates small batches. */
const secondsPerStep = 4e-4;
/** Worker start, dataset load and model build per trial. */
const secondsPerTrial = 0.4;

export function weightCount(featureCount: number, hidden: readonly number[], outputs: number): number {
  const widths = [featureCount, ...hidden, outputs];
  let total = 0;
  for (let index = 1; index < widths.length; index++) total += ((widths[index - 1] ?? 0) + 1) * (widths[index] ?? 0);
  return total;
}

/** A rough wall-clock estimate in seconds; the study view shows the measured ETA once trials run. */
export function estimateSweepSeconds(input: EtaInput): number {
  const weights = weightCount(input.featureCount, input.hidden, input.outputs);
  // Forward plus backward pass is about three times the forward multiply-adds.
  const compute = (3 * weights * input.rows) / macsPerSecond;
  const steps = Math.ceil(input.rows / Math.max(1, input.meanBatchSize)) * secondsPerStep;
  const perTrial = input.epochs * (compute + steps) + secondsPerTrial;
  const parallel = Math.max(1, Math.min(input.workers, input.trials));
  return (input.trials * perTrial) / parallel;
}
