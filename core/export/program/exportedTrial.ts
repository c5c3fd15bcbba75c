import type { Direction } from '../../api/domain.js';
import { chooseBackend } from '../../training/backend.js';
import { isImprovement } from '../../training/checkpoint.js';
import { runTrial } from '../../training/runTrial.js';
import { SplitCache } from '../../training/splitCache.js';
import type { ExportedJob } from '../exportData.js';

/**
 * The entry of an exported TS program: bundled with esbuild at export time, together with the
 * very modules a trial worker runs (data loading and split, model, optimizer, schedule, loop), so
 * there is one trainer. Only the numbers below differ from program to program.
 */
export interface ExportedTrialConfig {
  /** The worker's job for this trial, but for the ids and paths that only a sweep has. */
  job: ExportedJob;
  objective: { metric: string; direction: Direction };
  /** The backend the trial ran on; wasm and cpu are chosen again (same floats), unless overridden. */
  backend: string | null;
  recorded: { value: number | null; bestEpoch: number | null };
}

function backendEnv(backend: string | null): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (!env.TUNEBENCH_BACKEND && (backend === 'wasm' || backend === 'cpu')) env.TUNEBENCH_BACKEND = backend;
  return env;
}

/** Trains the trial again, printing each epoch; resolves to its value (the objective at its best epoch). */
export async function runExportedTrial(config: ExportedTrialConfig): Promise<number | null> {
  const choice = await chooseBackend(backendEnv(config.backend));
  console.log(`backend ${choice.backend}${choice.note ? ` (${choice.note})` : ''}`);
  const { metric, direction } = config.objective;
  let best: { value: number; epoch: number } | null = null;
  const cache = new SplitCache();
  const end = await runTrial(
    { ...config.job, trialId: 0, baseDir: process.cwd() },
    {
      loadSplit: (job) => cache.get(job),
      onEpoch: ({ epoch, metrics }) => {
        const shown = Object.entries(metrics).map(([name, v]) => `${name} ${Number(v.toPrecision(5))}`).join('  ');
        console.log(`epoch ${String(epoch).padStart(3)}  ${shown}`);
        const value = metrics[metric];
        if (isImprovement(value, best?.value ?? null, direction)) best = { value: value as number, epoch };
      },
    },
  );
  if (end.state !== 'complete') {
    console.error(`the trial did not complete: ${end.state === 'failed' ? end.error : end.state}`);
    process.exitCode = 1;
    return null;
  }
  const found = best as { value: number; epoch: number } | null;
  const { value, bestEpoch } = config.recorded;
  console.log(`final value: ${found?.value ?? null} (${metric} at epoch ${found?.epoch ?? null}; the sweep recorded ${value} at epoch ${bestEpoch})`);
  return found?.value ?? null;
}
