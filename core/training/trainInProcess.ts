import * as tf from './tf.js';
import { chooseBackend, type BackendChoice } from './backend.js';
import type { EpochReport, TrialEnd, TrialJob } from './protocol.js';
import { runTrial } from './runTrial.js';
import { SplitCache } from './splitCache.js';

let backend: Promise<BackendChoice> | null = null;
const cache = new SplitCache();

/**
 * Runs a trial in this process with the worker's exact loop, minus the protocol: the bare
 * baseline for the "process vs pool" benchmark, and handy in scripts. The backend is chosen once
 * per process (TUNEBENCH_BACKEND applies) and the split is cached as a worker caches it.
 */
export async function trainInProcess(
  job: TrialJob,
  onEpoch: (report: EpochReport) => void,
  signal?: AbortSignal,
): Promise<TrialEnd & { backend: string }> {
  backend ??= chooseBackend();
  await backend;
  const end = await runTrial(job, { loadSplit: (j) => cache.get(j), onEpoch, ...(signal ? { signal } : {}) });
  return { ...end, backend: tf.getBackend() };
}
