import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { DatasetInfo, Study, Trial } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { Dataset, DatasetSplit } from '../data/dataset.js';
import { dateFeatureNames } from '../data/dateColumns.js';
import { loadDataset, splitDataset } from '../data/index.js';
import type { Store } from '../store/store.js';
import type { TrialJob } from '../training/protocol.js';
import { bestTrials, exportedJob, trialConfig } from './exportData.js';
import { writeExportFolder, type WriteExportOptions } from './writeExportFile.js';

/** One input column as the raw table has it, in the order its features enter the model. */
export type PreprocessingColumn =
  /** One feature: the number, or `fill` (the training part's mean, as in training) when it is missing. */
  | { name: string; kind: 'numeric'; fill: number }
  /**
   * An ISO date (YYYY-MM-DD, a time after it ignored) as three features: the year, then sin and
   * cos of 2π · day of year (0 on 1 January) / days in that year; `fill` when it is missing.
   */
  | { name: string; kind: 'date'; fill: [number, number, number] }
  /** One feature per category (one-hot, in this order); an unknown value sets none. */
  | { name: string; kind: 'categorical'; categories: string[] };

/**
 * What turns a raw row into the model's input and its output back into a label or a number:
 * encode the columns in order (numbers as is, categories one-hot), then per feature
 * x = (value - mean) / std. The model outputs class probabilities (softmax; the label is
 * classes[argmax]) or, for regression, y' with y = y' * target.std + target.mean.
 */
export interface Preprocessing {
  format: 'tunebench-preprocessing';
  version: 1;
  task: Dataset['info']['task'];
  target: { name: string; classes: string[] | null; mean: number | null; std: number | null };
  columns: PreprocessingColumn[];
  features: { name: string; mean: number; std: number }[];
  imageShape: [number, number, number] | null;
  trial: { study: string; number: number; metric: string; value: number | null; bestEpoch: number | null };
}

export function preprocessingOf(dataset: Dataset, split: DatasetSplit, study: Study, trial: Trial): Preprocessing {
  const { info } = dataset;
  const names = dataset.featureNames ?? Array.from({ length: info.featureCount }, (_, j) => `feature ${j}`);
  // Missing values were filled with the training part's mean, the split's shift of that feature.
  const fill = (j: number): number => split.featureMean?.[j] ?? 0;
  let feature = 0;
  const columns = info.columns
    .filter((column) => column.name !== info.target)
    .map((column): PreprocessingColumn => {
      const at = feature;
      if (column.kind === 'categorical') {
        const categories = column.categories ?? [];
        feature += categories.length;
        return { name: column.name, kind: 'categorical', categories };
      }
      if (names[at] === dateFeatureNames(column.name)[0]) {
        feature += 3;
        return { name: column.name, kind: 'date', fill: [fill(at), fill(at + 1), fill(at + 2)] };
      }
      feature += 1;
      return { name: column.name, kind: 'numeric', fill: fill(at) };
    });
  return {
    format: 'tunebench-preprocessing',
    version: 1,
    task: info.task,
    target: { name: info.target, classes: info.classes, mean: split.targetMean ?? null, std: split.targetStd ?? null },
    columns,
    features: names.map((name, j) => ({ name, mean: split.featureMean?.[j] ?? 0, std: split.featureStd?.[j] ?? 1 })),
    imageShape: info.imageShape,
    trial: { study: study.name, number: trial.number, metric: study.objective.metric, value: trial.value, bestEpoch: trial.bestEpoch },
  };
}

/** The trial's split as its training made it (the test part included), and the preprocessing of it. */
export async function preprocessingFor(study: Study, trial: Trial, info: DatasetInfo | null, baseDir: string): Promise<Preprocessing> {
  const config = trialConfig(study, trial, info);
  const dataset = await loadDataset(config.dataset, baseDir);
  if (dataset.info.fingerprint !== study.datasetFingerprint) {
    throw new TunebenchError('DATASET_MISMATCH', `dataset ${dataset.info.key} has changed since study "${study.name}" ran: its preprocessing cannot be rebuilt`);
  }
  const split = splitDataset(dataset, config.validationSplit, config.splitSeed, config.testSplit);
  return preprocessingOf(dataset, split, study, trial);
}

/**
 * A trial without kept weights (run before they were kept, or its folder removed) is trained
 * again in this process, with the worker's code, seed and checkpoint rule, into a temp folder.
 */
async function retrainWeights(study: Study, trial: Trial, info: DatasetInfo | null, baseDir: string): Promise<string> {
  const { trainInProcess } = await import('../training/trainInProcess.js');
  const dir = join(mkdtempSync(join(tmpdir(), 'tunebench-weights-')), 'model');
  const job: TrialJob = {
    ...exportedJob(trialConfig(study, trial, info), trial, study.datasetFingerprint),
    trialId: trial.id,
    baseDir,
    saveModelTo: dir,
    checkpointBy: study.objective,
  };
  const end = await trainInProcess(job, () => {});
  if (end.state !== 'complete') {
    throw new TunebenchError('TRIAL_CRASHED', `trial ${trial.number} has no kept weights, and training it again failed: ${end.state === 'failed' ? end.error : end.state}`);
  }
  return dir;
}

export interface ModelExportOptions extends WriteExportOptions {
  /** Relative CSV paths of the spec resolve here. */
  baseDir: string;
  /** Where this machine reads the study's CSV when not at its recorded path (fetched from a shared store). */
  datasetPath?: string;
}

/**
 * Writes the best trial's model as a folder: model.json + weights.bin (tfjs layers format, the
 * weights of its best epoch, kept by the worker, else trained again) and preprocessing.json.
 */
export async function exportModel(store: Store, study: Study, out: string, options: ModelExportOptions): Promise<{ path: string; trial: Trial; retrainedBecause: string | null }> {
  const [best] = await bestTrials(store, study, 1);
  if (!best) throw new TunebenchError('NOT_FOUND', `study "${study.name}" has no complete trial to export yet`);
  const stored = await store.getDataset(study.datasetFingerprint);
  const info = stored && options.datasetPath ? { ...stored, path: options.datasetPath } : stored;
  const kept = await store.getArtifact(best.id, 'weights');
  const isKept = kept !== null && existsSync(join(kept, 'model.json'));
  const weights = isKept ? kept : await retrainWeights(study, best, info, options.baseDir);
  try {
    const retrainedBecause = isKept ? null : store.artifactRoot === null ? 'this store keeps no trial files (a PostgreSQL store keeps curves, not weights)' : 'its weights were not kept';
    return { path: await writeModelFolder(study, best, weights, info, out, options), trial: best, retrainedBecause };
  } finally {
    if (!isKept) rmSync(dirname(weights), { recursive: true, force: true });
  }
}

async function writeModelFolder(study: Study, best: Trial, weights: string, info: DatasetInfo | null, out: string, options: ModelExportOptions): Promise<string> {
  const preprocessing = await preprocessingFor(study, best, info, options.baseDir);
  return writeExportFolder(
    out,
    {
      'model.json': readFileSync(join(weights, 'model.json')),
      'weights.bin': readFileSync(join(weights, 'weights.bin')),
      'preprocessing.json': JSON.stringify(preprocessing, null, 2) + '\n',
    },
    options,
  );
}
