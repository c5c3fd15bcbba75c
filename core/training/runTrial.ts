import * as tf from './tf.js';
import type { DatasetSplit } from '../data/dataset.js';
import { isImprovement } from './checkpoint.js';
import type { EpochReport, TrialEnd, TrialJob } from './protocol.js';
import { DatasetChangedError } from './datasetChangedError.js';
import { TfjsTrainer } from './tfjsTrainer.js';
import type { EpochMetrics, EpochResult, Trainer } from './trainer.js';

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
 * What a trained epoch means for its trial (runTrial and runPack share it): a stopped epoch ends
 * it 'stopped'; a diverged one reports its finite metrics and fails it; else it is reported and
 * null is returned (train on).
 */
export function epochEnd(job: TrialJob, epoch: number, result: EpochResult, onEpoch: (report: EpochReport) => void): TrialEnd | null {
  if (result.isStopped) return { state: 'stopped', epochsRun: epoch };
  if (result.isDiverged) {
    const finite = finiteOnly(result.metrics);
    if (Object.keys(finite).some((name) => !bookkeeping.has(name))) onEpoch({ type: 'epoch', trialId: job.trialId, epoch, metrics: finite });
    return { state: 'failed', reason: 'diverged', error: divergence(result.metrics, epoch), epochsRun: epoch + 1 };
  }
  onEpoch({ type: 'epoch', trialId: job.trialId, epoch, metrics: result.metrics });
  return null;
}

/** Tracks the best epoch by job.checkpointBy; checkpoints cost a weight copy, so only when the model is saved. */
export class BestEpoch {
  private best: number | null = null;
  constructor(private readonly job: TrialJob) {}

  /** Whether this epoch beats every earlier one (keep its weights). */
  improves(metrics: EpochMetrics): boolean {
    const rule = this.job.saveModelTo ? this.job.checkpointBy : undefined;
    if (!rule || !isImprovement(metrics[rule.metric], this.best, rule.direction)) return false;
    this.best = metrics[rule.metric] ?? null;
    return true;
  }
}

/** A trial that trained every epoch: complete, its model saved when the job asks. */
export async function completeEnd(job: TrialJob, epochsRun: number, save: (dir: string) => Promise<void>): Promise<TrialEnd> {
  if (!job.saveModelTo) return { state: 'complete', epochsRun };
  try {
    await save(job.saveModelTo);
    return { state: 'complete', epochsRun };
  } catch (error) {
    // A full disk loses the kept weights, not the trial: its metrics are stored, and a model
    // export retrains it from its seed.
    return { state: 'complete', epochsRun, modelNotSaved: message(error) };
  }
}

/** An exception in training: the dataset changed under it, or an error. */
export function failedEnd(error: unknown, epochsRun: number): TrialEnd {
  const reason = error instanceof DatasetChangedError ? 'dataset' : 'error';
  return { state: 'failed', reason, error: message(error), epochsRun };
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
  const stop = () => trainer?.requestStop();
  options.signal?.addEventListener('abort', stop);
  try {
    const split = await options.loadSplit(job);
    if (options.signal?.aborted) return { state: 'stopped', epochsRun };
    trainer = options.createTrainer?.() ?? new TfjsTrainer();
    trainer.build(job.params, job.model, split, job.seed, job.epochs);
    if (options.signal?.aborted) trainer.requestStop();
    const best = new BestEpoch(job);
    for (let epoch = 0; epoch < job.epochs; epoch++) {
      const result = await trainer.runEpoch(epoch);
      const end = epochEnd(job, epoch, result, options.onEpoch);
      if (end) return end;
      epochsRun = epoch + 1;
      if (best.improves(result.metrics)) trainer.keepCheckpoint();
      const isLast = epoch === job.epochs - 1;
      if (job.awaitsVerdict && !isLast && options.verdict && (await options.verdict(epoch))) return { state: 'stopped', epochsRun };
    }
    const saving = trainer;
    return await completeEnd(job, epochsRun, (dir) => saving.saveModel(dir));
  } catch (error) {
    return failedEnd(error, epochsRun);
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
