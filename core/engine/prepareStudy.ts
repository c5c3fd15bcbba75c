import { basename } from 'node:path';
import { dataNotes } from '../api/dataNotes.js';
import type { DatasetInfo } from '../api/domain.js';
import type { StudySpec } from '../api/spec.js';
import { copyFileByContent, describeDataset, type DescribedDataset } from '../data/index.js';
import { createStrategy } from '../strategies/createStrategy.js';
import { checkCompatibility } from './compatibility.js';

/** A spec that passed every check a sweep makes before training, with what the checks loaded. */
export interface CheckedSpec {
  spec: StudySpec;
  /** The dataset as described, not loaded: a CSV is streamed through in a worker thread. */
  dataset: { info: DatasetInfo };
  source: DescribedDataset['source'];
  plannedTrials: number;
  /** What a person should know, e.g. a batch size clamped to the training rows. */
  notes: string[];
}

/**
 * Every check `sweep` runs before anything trains, and all `validate` runs: the dataset loads (the
 * file exists, decodes and parses), the target and dropped columns exist, the task fits the metric
 * and the model, and the split leaves rows to train on. Relative CSV paths resolve against
 * `baseDir`, the spec file's folder. Errors are TunebenchErrors naming the spec field.
 */
export async function checkSpecForRun(spec: StudySpec, baseDir: string): Promise<CheckedSpec> {
  const plannedTrials = createStrategy(spec).plannedTrials;
  const { info, source } = await describeDataset(spec.dataset, baseDir);
  checkCompatibility(spec, info);
  return { spec, dataset: { info }, source, plannedTrials, notes: dataNotes(spec, info) };
}

/**
 * The spec as a study stores it: a CSV is kept by content under `datasetsDir` (the very bytes the
 * checks read) and the spec points there, so resume, Duplicate and "New from this spec" train on
 * the same data from any working directory, even after the original file changes or moves.
 */
export async function keepStudyDataset(checked: CheckedSpec, datasetsDir: string): Promise<{ spec: StudySpec; dataset: DatasetInfo }> {
  const { spec, source } = checked;
  const info = checked.dataset.info;
  if (!source || typeof spec.dataset === 'string') return { spec, dataset: info };
  const kept = await copyFileByContent(source.path, source.sha256, basename(source.path), datasetsDir);
  return {
    spec: { ...spec, dataset: { ...spec.dataset, csv: kept } },
    dataset: { ...info, key: `csv:${kept}`, path: kept, description: `${info.description} Kept by content from ${source.path}.` },
  };
}
