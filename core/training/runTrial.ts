import * as tf from './tf.js';
import type { DatasetSplit } from '../data/dataset.js';
import { isImprovement } from './checkpoint.js';
import type { EpochReport, TrialEnd, TrialJob } from './protocol.js';
import { DatasetChangedError } from './datasetChangedError.js';
import { TfjsTrainer } from './tfjsTrainer.js';
import type { EpochMetrics, Trainer } from './trainer.js';

export interface RunTrialOptions {
  /** The job's train/validation split (the worker's SplitCache, or a plain load). */
  loadSplit(job: TrialJob): Promise<DatasetSplit>;
  onEpoch(report: EpochReport): void;
  /** With job.awaitsVerdict: resolves true when the engine prunes the trial after this epoch. */
  verdict?(epoch: number): Promise<boolean>;
  /** Aborting stops the trial after the batch in flight; it ends 'stopped'. */
  signal?: AbortSignal;
  createTrainer?(): Trainer;
}

const bookkeeping = new Set(['lr', 'epoch_ms']);

function finiteOnly(metrics: EpochMetrics): EpochMetrics {
  return Object.fromEntries(Object.entries(metrics).filter(([, v]) => Number.isFinite(v)));
}

function divergence(metrics: EpochMetrics, epoch: number): string {
  const bad = ['loss', 'val_loss'].filter((name) => name in metrics && !Number.isFinite(metrics[name]));
  const what = bad.map((name) => `${name} ${metrics[name]}`).join(', ');
  return `diverged at epoch ${epoch}: ${what} (lr ${metrics.lr})`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs one trial to its end and never throws: the worker and trainInProcess share it. Sends one
 * report per finished epoch. A NaN or ±Inf loss fails the trial as diverged at that epoch (its
 * finite metrics are reported first, and it counts in epochsRun); an exception fails it as error.
 * The model is saved to job.saveModelTo only when the trial completes, with the best epoch's
 * weights under job.checkpointBy; a failed save is reported, not fatal. The trainer is always
 * disposed, so the process can take the next trial.
 */
export async function runTrial(job: TrialJob, options: RunTrialOptions): Promise<TrialEnd> {
  let epochsRun = 0;
  let trainer: Trainer | null = null;
  // Checkpoints cost a weight copy per improvement: only when the model is to be saved.
  const rule = job.saveModelTo ? job.checkpointBy : undefined;
  let best: number | null = null;
  const stop = () => trainer?.requestStop();
  options.signal?.addEventListener('abort', stop);
  try {
    const split = await options.loadSplit(job);
    if (options.signal?.aborted) return { state: 'stopped', epochsRun };
    trainer = options.createTrainer?.() ?? new TfjsTrainer();
    trainer.build(job.params, job.model, split, job.seed, job.epochs);
    if (options.signal?.aborted) trainer.requestStop();
    for (let epoch = 0; epoch < job.epochs; epoch++) {
      const result = await trainer.runEpoch(epoch);
      if (result.isStopped) return { state: 'stopped', epochsRun };
      if (result.isDiverged) {
        const finite = finiteOnly(result.metrics);
        if (Object.keys(finite).some((name) => !bookkeeping.has(name))) {
          options.onEpoch({ type: 'epoch', trialId: job.trialId, epoch, metrics: finite });
        }
        const error = divergence(result.metrics, epoch);
        return { state: 'failed', reason: 'diverged', error, epochsRun: epoch + 1 };
      }
      options.onEpoch({ type: 'epoch', trialId: job.trialId, epoch, metrics: result.metrics });
      epochsRun = epoch + 1;
      if (rule && isImprovement(result.metrics[rule.metric], best, rule.direction)) {
        best = result.metrics[rule.metric] ?? null;
        trainer.keepCheckpoint();
      }
      const isLast = epoch === job.epochs - 1;
      if (job.awaitsVerdict && !isLast && options.verdict && (await options.verdict(epoch))) return { state: 'stopped', epochsRun };
    }
    if (!job.saveModelTo) return { state: 'complete', epochsRun };
    try {
      await trainer.saveModel(job.saveModelTo);
      return { state: 'complete', epochsRun };
    } catch (error) {
      // A full disk loses the kept weights, not the trial: its metrics are stored, and a model
      // export retrains it from its seed.
      return { state: 'complete', epochsRun, modelNotSaved: message(error) };
    }
  } catch (error) {
    const reason = error instanceof DatasetChangedError ? 'dataset' : 'error';
    return { state: 'failed', reason, error: message(error), epochsRun };
  } finally {
    options.signal?.removeEventListener('abort', stop);
    try {
      trainer?.dispose();
    } catch {
      // A failed dispose must not hide the trial's outcome; the worker logs tensor counts.
    }
  }
}

/** Tensors alive in this process: the worker logs it after each trial to catch leaks in the field. */
export function liveTensors(): number {
  return tf.memory().numTensors;
}
