import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StudySpecInput } from '../core/api/spec.js';
import { loadDataset } from '../core/data/index.js';
import { trialSeed } from '../core/engine/objective.js';
import { createTunebenchService } from '../core/engine/service.js';
import { expandGrid } from '../core/space/grid.js';
import { validateSpec } from '../core/space/parseSpec.js';
import { openSqliteStore } from '../core/store/sqliteStore.js';
import type { TrialJob } from '../core/training/protocol.js';

const bareRunner = fileURLToPath(new URL('./bareRunner.ts', import.meta.url));

/** N short iris trials: distinct learning rates so the grid has N points. */
export function shortTrialsSpec(trials: number, overrides: Partial<StudySpecInput> = {}): StudySpecInput {
  const rates = Array.from({ length: trials }, (_, i) => Number((0.005 + i * 0.001).toFixed(4)));
  return {
    dataset: 'builtin:iris',
    model: { type: 'mlp', hidden: [16] },
    epochs: 20,
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    space: { optimizer: 'adam', learningRate: { choice: rates }, batchSize: 16 },
    seed: 5,
    ...overrides,
  };
}

export interface PoolTiming {
  /** Wall time of the whole sweep, worker start-up included. */
  ms: number;
  /** CPU time the whole machine spent meanwhile (/proc/stat; null where there is none). */
  machineCpuMs: number | null;
  /** Trials per second once every worker is warm: each worker's first trial is left out. */
  steadyTrialsPerSecond: number;
}

/**
 * A sweep through the real pool and SQLite store. `isWarm`: as in the app and serve, the workers
 * are kept from an earlier sweep (the same size, not timed), so the timed sweep starts none.
 */
export async function timePool(input: StudySpecInput, workers: number, env: NodeJS.ProcessEnv = {}, isWarm = false): Promise<PoolTiming> {
  const dir = mkdtempSync(join(tmpdir(), 'tunebench-bench-'));
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const store = await openSqliteStore(join(dir, 'bench.db'));
  const service = createTunebenchService({ store, workDir: dir, workers, ...(isWarm ? { warmWorkers: { idleMs: 60_000 } } : {}) });
  try {
    if (isWarm) {
      // As the app's second sweep of a session: the workers (and V8's optimised code in them) are
      // the ones a first, untimed sweep of the same size used.
      const warmUp = await service.studies.create({ spec: { ...input, name: 'warm-up' } as Record<string, unknown>, start: false });
      await service.run(warmUp, { workers });
    }
    const study = await service.studies.create({ spec: input as Record<string, unknown>, start: false });
    const cpuBefore = machineCpuMs();
    const started = performance.now();
    const outcome = await service.run(study, { workers });
    const elapsed = performance.now() - started;
    const cpuAfter = machineCpuMs();
    if (outcome.status !== 'done') throw new Error(`bench sweep ended ${outcome.status}: ${outcome.reason}`);
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: 100_000 });
    const firstOfWorker = new Set<number>();
    const seen = new Set<string | null>();
    for (const trial of [...rows].sort((a, b) => (a.startedAt ?? 0) - (b.startedAt ?? 0))) {
      if (!seen.has(trial.worker)) firstOfWorker.add(trial.id);
      seen.add(trial.worker);
    }
    const warm = rows.filter((trial) => !firstOfWorker.has(trial.id));
    const from = Math.min(...warm.map((trial) => trial.startedAt ?? Infinity));
    const to = Math.max(...warm.map((trial) => trial.endedAt ?? 0));
    const machineCpu = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
    return { ms: elapsed, machineCpuMs: machineCpu, steadyTrialsPerSecond: warm.length / ((to - from) / 1000) };
  } finally {
    await service.close();
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** user + nice + system time of every CPU so far, in ms (Linux's /proc/stat counts in 1/100 s). */
function machineCpuMs(): number | null {
  if (!existsSync('/proc/stat')) return null;
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 4).map(Number);
  return fields.reduce((sum, ticks) => sum + ticks * 10, 0);
}

/** Wall time of the same trials in one bare process (spawned, so start-up is paid alike). */
export async function timeBare(input: StudySpecInput, env: NodeJS.ProcessEnv = {}): Promise<{ ms: number; epochMs: number; epochs: number; backend: string }> {
  const spec = validateSpec(input);
  const dataset = await loadDataset(spec.dataset, process.cwd());
  const jobs: TrialJob[] = expandGrid(spec).map((params, number) => ({
    trialId: number + 1,
    number,
    params,
    seed: trialSeed(spec.seed, number),
    dataset: spec.dataset,
    baseDir: process.cwd(),
    datasetFingerprint: dataset.info.fingerprint,
    model: spec.model,
    epochs: spec.epochs,
    validationSplit: spec.validationSplit,
    splitSeed: spec.seed,
  }));
  const dir = mkdtempSync(join(tmpdir(), 'tunebench-bare-'));
  const jobsFile = join(dir, 'jobs.json');
  writeFileSync(jobsFile, JSON.stringify(jobs));
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', bareRunner, jobsFile], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const ms = performance.now() - started;
  rmSync(dir, { recursive: true, force: true });
  if (result.status !== 0) throw new Error(`bare runner failed: ${result.stderr}`);
  const lastLine = result.stdout.trim().split('\n').pop() ?? '{}';
  return { ms, ...(JSON.parse(lastLine) as { epochMs: number; epochs: number; backend: string }) };
}
