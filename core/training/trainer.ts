import type { ModelSpec, TrialParams } from '../api/spec.js';
import type { DatasetSplit } from '../data/dataset.js';

/**
 * One epoch's numbers, plain. loss, val_loss, accuracy + val_accuracy (classification) or
 * mae + val_mae (regression), lr (the rate used this epoch) and epoch_ms (wall time, validation
 * included). A value is NaN or ±Infinity only when the run diverged.
 */
export type EpochMetrics = Record<string, number>;

export interface EpochResult {
  metrics: EpochMetrics;
  /** Batches run this epoch (fewer than a full pass when stopped). */
  batches: number;
  /** A stop was requested: the epoch ended after the batch in flight and its metrics are partial. */
  isStopped: boolean;
  /** The training or validation loss is NaN or ±Infinity: the trial must fail as diverged. */
  isDiverged: boolean;
}

/**
 * Trains one model for one trial. Contract:
 * - build() once, then runEpoch(0), runEpoch(1), ... in order, awaiting each; then dispose().
 * - Same params, model, split and seed give the same weights and metrics on the same backend.
 * - requestStop() may be called at any time (from an event handler while runEpoch is awaiting):
 *   the running epoch returns after the current batch with isStopped, and so does every later one.
 * - runEpoch never throws for a diverged loss; it reports isDiverged and the caller fails the trial.
 * - dispose() frees every tensor the trainer made; tf.memory() is back where it was before build().
 */
export interface Trainer {
  build(params: TrialParams, model: ModelSpec, split: DatasetSplit, seed: number, epochs: number): void;
  runEpoch(epoch: number): Promise<EpochResult>;
  requestStop(): void;
  /** Keeps a copy of the current weights (replacing the last copy): the best epoch's checkpoint. */
  keepCheckpoint(): void;
  /**
   * Saves the model (tfjs layers format: model.json + weights.bin) into dir, with the weights of
   * the last keepCheckpoint() when there was one, else the current weights. Training is over.
   */
  saveModel(dir: string): Promise<void>;
  dispose(): void;
}
