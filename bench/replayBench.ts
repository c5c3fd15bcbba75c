// Replay bench: every strategy x pruner against recorded grid curves (bench/replay/*.curves.csv,
// exported once with `tunebench export STUDY --format curves` from `tunebench sweep
// bench/replay/NAME.yaml`), beside Optuna's multivariate TPE alone and with Hyperband replayed on
// the same CSV when a python3 with optuna is found (never a test dependency).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSpecText } from '../core/space/parseSpec.js';
import { recordingFromCsv } from '../core/replay/recording.js';
import { replayPruners, replayStrategies } from '../core/replay/replay.js';
import { replayAll, replayTable } from '../core/replay/replaySummary.js';

export interface BenchRow {
  figure: string;
  value: string;
  target: string;
  ok: boolean | null;
}

const seeds = 20;
const tolerance = 0.01;

interface OptunaResult {
  pruner: string;
  reached: number;
  median: number | null;
}

function optunaReplay(csvPath: string, metric: string, direction: string): { version: string; results: OptunaResult[] } | null {
  const script = fileURLToPath(new URL('./optunaReplay.py', import.meta.url));
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import optuna'], { stdio: 'ignore' });
    } catch {
      continue;
    }
    const out = execFileSync(python, [script, csvPath, metric, direction, String(seeds), String(tolerance)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const parsed = JSON.parse(out) as { optuna: string; results: OptunaResult[] };
    return { version: parsed.optuna, results: parsed.results };
  }
  return null;
}

export function replayBench(names: readonly string[] = ['iris-grid', 'mnist-grid'], log: (text: string) => void = () => {}): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const name of names) {
    const specPath = fileURLToPath(new URL(`./replay/${name}.yaml`, import.meta.url));
    const csvPath = fileURLToPath(new URL(`./replay/${name}.curves.csv`, import.meta.url));
    let csv: string;
    try {
      csv = readFileSync(csvPath, 'utf8');
    } catch {
      log(`${name}: no recording at ${csvPath}; skipped`);
      continue;
    }
    const spec = parseSpecText(readFileSync(specPath, 'utf8'), specPath);
    const report = replayAll(recordingFromCsv(csv, spec), { strategies: replayStrategies.filter((s) => s !== 'grid'), pruners: replayPruners, seeds, tolerance });
    log(`\n${name}\n${replayTable(report)}`);
    const median = (value: number | null) => value ?? Infinity;
    const best = [...report.results].sort((a, b) => median(a.epochsToTarget.median) - median(b.epochsToTarget.median))[0]!;
    const random = report.results.find((r) => r.strategy === 'random' && r.pruner === 'none')!;
    const ours = median(best.epochsToTarget.median);
    rows.push({ figure: `${name}: our best (${best.strategy}+${best.pruner}) median epochs to the grid's best within 1%`, value: `${ours} of ${report.gridEpochs}`, target: `<= random/2 (${median(random.epochsToTarget.median) / 2})`, ok: ours <= median(random.epochsToTarget.median) / 2 });
    const optuna = optunaReplay(csvPath, spec.objective.metric, spec.objective.direction);
    if (!optuna) {
      rows.push({ figure: `${name}: Optuna TPE / TPE+Hyperband`, value: 'python3 with optuna not found', target: 'info', ok: null });
      continue;
    }
    log(`Optuna ${optuna.version}: ${optuna.results.map((r) => `tpe+${r.pruner} median ${r.median ?? 'not reached'} (${r.reached}/${seeds} reached)`).join(', ')}`);
    const theirs = Math.min(...optuna.results.map((r) => r.median ?? Infinity));
    rows.push({ figure: `${name}: better of Optuna ${optuna.version} TPE (${optuna.results[0]!.median}) / TPE+Hyperband (${optuna.results[1]!.median})`, value: String(theirs), target: `> ours (${ours})`, ok: ours < theirs });
  }
  return rows;
}
