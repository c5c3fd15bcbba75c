import { resolve } from 'node:path';
import { DatasetChangedError } from './datasetChangedError.js';
import type { DatasetRef } from '../api/spec.js';
import type { Dataset, DatasetSplit } from '../data/dataset.js';
import { loadDataset, splitDataset } from '../data/index.js';
import type { TrialJob } from './protocol.js';

export type LoadDataset = (ref: DatasetRef, baseDir: string) => Promise<Dataset>;
export type SplitDataset = (ds: Dataset, validationSplit: number, seed: number, testSplit?: number) => DatasetSplit;

export interface SplitCacheEvents {
  /** Called after each real load (not on a cache hit): for the worker's stderr log and tests. */
  onLoad?(key: string, rows: number, ms: number): void;
}

function refKey(ref: DatasetRef, baseDir: string): string {
  if (typeof ref === 'string') return ref;
  return `csv:${resolve(baseDir, ref.csv)}|${ref.target}|${ref.task ?? ''}|${JSON.stringify(ref.dropColumns ?? [])}`;
}

/**
 * The last dataset and split a worker used, so the trials of a study (same dataset, fingerprint,
 * validationSplit and splitSeed) load and standardise once. One entry each: a worker serves one
 * study at a time and MNIST-sized data should not pile up. A dataset whose fingerprint differs
 * from the job's is refused and never cached.
 */
export class SplitCache {
  private dataset: { key: string; value: Dataset } | null = null;
  private split: { key: string; value: DatasetSplit } | null = null;

  constructor(
    private readonly load: LoadDataset = loadDataset,
    private readonly splitter: SplitDataset = splitDataset,
    private readonly events: SplitCacheEvents = {},
  ) {}

  async get(job: TrialJob): Promise<DatasetSplit> {
    const key = `${refKey(job.dataset, job.baseDir)}#${job.datasetFingerprint}`;
    const splitKey = `${key}#${job.validationSplit}#${job.splitSeed}#${job.testSplit ?? ''}`;
    if (this.split?.key === splitKey) return this.split.value;
    const dataset = await this.loadChecked(job, key);
    const value = this.splitter(dataset, job.validationSplit, job.splitSeed, job.testSplit);
    this.split = { key: splitKey, value };
    return value;
  }

  private async loadChecked(job: TrialJob, key: string): Promise<Dataset> {
    if (this.dataset?.key === key) return this.dataset.value;
    this.dataset = null;
    this.split = null;
    const started = performance.now();
    const dataset = await this.load(job.dataset, job.baseDir);
    const found = dataset.info.fingerprint;
    if (found !== job.datasetFingerprint) {
      throw new DatasetChangedError(
        `dataset ${dataset.info.key} has changed since the study started: its fingerprint is ` +
          `${found.slice(0, 12)}…, the study recorded ${job.datasetFingerprint.slice(0, 12)}…`,
        [{ where: '/dataset', message: 'fingerprint mismatch' }],
      );
    }
    this.events.onLoad?.(dataset.info.key, dataset.info.rows, performance.now() - started);
    this.dataset = { key, value: dataset };
    return dataset;
  }
}
