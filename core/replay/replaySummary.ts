import type { Recording } from './recording.js';
import type { ReplayPruner, ReplayStrategy } from './replay.js';
import { recordingBest, recordingEpochs, replayOnce } from './replay.js';

export interface Quartiles {
  median: number | null;
  q1: number | null;
  q3: number | null;
}

export interface ReplayResult {
  strategy: ReplayStrategy;
  pruner: ReplayPruner;
  seeds: number;
  /** Seeds whose run came within tolerance of the best before giving up. */
  reached: number;
  /** Over all seeds; a quartile that falls on a run that never reached it is null. */
  epochsToTarget: Quartiles;
  /** Median of the best value reached within `fixedBudget` epochs. */
  bestAtBudget: number | null;
}

export interface ReplayReport {
  results: ReplayResult[];
  /** Epochs the whole recorded grid took. */
  gridEpochs: number;
  best: number;
  tolerance: number;
  fixedBudget: number;
}

export interface ReplayRequest {
  strategies: readonly ReplayStrategy[];
  pruners: readonly ReplayPruner[];
  seeds: number;
  tolerance: number;
}

/** Linear-interpolated quantile (numpy's default); Infinity stands for a run that never got there. */
export function quantile(values: readonly number[], q: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const [low, high] = [sorted[Math.floor(position)]!, sorted[Math.ceil(position)]!];
  if (!Number.isFinite(low) || !Number.isFinite(high)) return null;
  return low + (high - low) * (position - Math.floor(position));
}

/**
 * Every strategy x pruner combination asked for, each over seeds 0..N-1. A run gives up after
 * twice the grid's epochs; the fixed budget for "best value reached" is a quarter of them.
 */
export function replayAll(recording: Recording, request: ReplayRequest): ReplayReport {
  const gridEpochs = recordingEpochs(recording);
  const fixedBudget = Math.max(1, Math.round(gridEpochs / 4));
  const results: ReplayResult[] = [];
  for (const strategy of request.strategies) {
    for (const pruner of request.pruners) {
      const runs = Array.from({ length: request.seeds }, (_, seed) =>
        replayOnce(recording, { strategy, pruner, seed, tolerance: request.tolerance, maxEpochs: 2 * gridEpochs, fixedBudget }),
      );
      const epochs = runs.map((run) => run.epochsToTarget ?? Infinity);
      const atBudget = runs.map((run) => run.bestAtBudget).filter((value): value is number => value !== null);
      results.push({
        strategy,
        pruner,
        seeds: request.seeds,
        reached: runs.filter((run) => run.epochsToTarget !== null).length,
        epochsToTarget: { median: quantile(epochs, 0.5), q1: quantile(epochs, 0.25), q3: quantile(epochs, 0.75) },
        bestAtBudget: quantile(atBudget, 0.5),
      });
    }
  }
  return { results, gridEpochs, best: recordingBest(recording), tolerance: request.tolerance, fixedBudget };
}

/** The table `tunebench replay` prints. */
export function replayTable(report: ReplayReport): string {
  const cell = (value: number | null) => (value === null ? `>${2 * report.gridEpochs}` : String(Math.round(value)));
  const header = ['strategy', 'pruner', 'reached', 'median', 'q1', 'q3', `best@${report.fixedBudget}`];
  const rows = report.results.map((r) => [
    r.strategy,
    r.pruner,
    `${r.reached}/${r.seeds}`,
    cell(r.epochsToTarget.median),
    cell(r.epochsToTarget.q1),
    cell(r.epochsToTarget.q3),
    r.bestAtBudget === null ? '-' : r.bestAtBudget.toPrecision(4),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((text, i) => text.padEnd(widths[i]!)).join('  ').trimEnd();
  return [
    `epochs to reach the grid's best (${report.best.toPrecision(4)}) within ${report.tolerance * 100}%; the whole grid took ${report.gridEpochs} epochs`,
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}
