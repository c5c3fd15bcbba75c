// The issue-10 grid (synthetic 10,000 x 64 CSV, 4 classes, MLP 128 hidden, 3 epochs, sgd/adam x
// lr 0.01/0.1 x batch 16/32): `tunebench sweep --workers 1` beside Optuna + PyTorch on one thread,
// whole-process wall times, and the trainer's per-step breakdown (bench/stepProfile.ts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { xoroshiro128plus, unsafeUniformIntDistribution } from 'pure-rand';

type Row = { figure: string; value: string; target: string; ok: boolean | null };
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const python = '/usr/bin/python3';

/** Four Gaussian blobs in 64 dimensions with overlap, so accuracy is well short of 1. */
export function syntheticCsv(rows = 10_000, features = 64, classes = 4, seed = 7): string {
  const rng = xoroshiro128plus(seed);
  const uniform = () => (unsafeUniformIntDistribution(1, 1 << 30, rng) / (1 << 30));
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const centres = Array.from({ length: classes }, () => Array.from({ length: features }, () => normal() * 0.3));
  const lines = [[...Array.from({ length: features }, (_, i) => `f${i}`), 'label'].join(',')];
  for (let r = 0; r < rows; r += 1) {
    const label = r % classes;
    const values = centres[label]!.map((c) => (c + normal()).toFixed(4));
    lines.push([...values, String(label)].join(','));
  }
  return lines.join('\n') + '\n';
}

export function gridSpec(csvPath: string, packing?: number): string {
  return JSON.stringify({
    ...(packing ? { packing: { maxTrials: packing } } : {}),
    name: 'cpu-grid',
    dataset: { csv: csvPath, target: 'label', task: 'classification' },
    model: { type: 'mlp', hidden: [128] },
    epochs: 3,
    objective: { metric: 'val_accuracy', direction: 'maximize' },
    space: { optimizer: { choice: ['sgd', 'adam'] }, learningRate: { choice: [0.01, 0.1] }, batchSize: { choice: [16, 32] } },
    seed: 5,
  });
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = {}): { ms: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync(command, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  return { ms, stdout: result.stdout };
}

export function hasTorch(): boolean {
  return spawnSync(python, ['-c', 'import torch, optuna'], { stdio: 'ignore' }).status === 0;
}

/** Per-step microseconds by phase, from a fresh process (see stepProfile.ts). */
export function stepProfile(csvPath: string): string {
  return timed(process.execPath, ['--import', 'tsx', here('./stepProfile.ts'), csvPath]).stdout;
}

export function cpuGrid(log: (text: string) => void, rounds = 2): Row[] {
  const dir = mkdtempSync(join(tmpdir(), 'tunebench-cpu-'));
  const rows: Row[] = [];
  try {
    const csv = join(dir, 'grid.csv');
    writeFileSync(csv, syntheticCsv());
    writeFileSync(join(dir, 'grid.json'), gridSpec(csv));
    writeFileSync(join(dir, 'packed.json'), gridSpec(csv, 4));
    log(stepProfile(csv).trimEnd());
    const torch = hasTorch();
    if (!torch) log(`cpu grid: ${python} lacks torch or optuna; the PyTorch side is skipped`);
    const ours: number[] = [];
    const theirs: number[] = [];
    const torchEpochMs: number[] = [];
    const packedRuns: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const db = join(dir, `round${round}.db`);
      ours.push(timed(process.execPath, [here('../bin/tunebench.js'), 'sweep', join(dir, 'grid.json'), '--workers', '1', '--db', db]).ms);
      packedRuns.push(timed(process.execPath, [here('../bin/tunebench.js'), 'sweep', join(dir, 'packed.json'), '--workers', '1', '--db', join(dir, `packed${round}.db`)]).ms);
      let line = `cpu grid round ${round + 1}: tunebench sweep --workers 1 ${ours.at(-1)!.toFixed(0)} ms, packed (maxTrials 4) ${packedRuns.at(-1)!.toFixed(0)} ms`;
      if (torch) {
        const run = timed(python, [here('./torchGrid.py'), csv], { OMP_NUM_THREADS: '1' });
        theirs.push(run.ms);
        torchEpochMs.push((JSON.parse(run.stdout) as { epochMs: number }).epochMs);
        line += `, optuna+pytorch ${run.ms.toFixed(0)} ms ${run.stdout.trim()}`;
      }
      log(line);
    }
    // Best of the rounds on each side: on a shared machine the load only ever adds time.
    const best = (v: number[]) => Math.min(...v);
    for (const row of packingRows(csv, torchEpochMs, log)) rows.push(row);
    const mine = best(ours);
    rows.push({ figure: 'cpu grid (8 trials, 10k x 64, MLP 128, 3 epochs): tunebench sweep --workers 1, best of rounds', value: `${mine.toFixed(0)} ms`, target: 'info', ok: null });
    rows.push({ figure: 'cpu grid: tunebench sweep --workers 1 with packing: { maxTrials: 4 }, best of rounds', value: `${best(packedRuns).toFixed(0)} ms (${(mine / best(packedRuns)).toFixed(2)}x faster than unpacked)`, target: 'info', ok: null });
    if (torch) {
      const packedRatio = best(packedRuns) / best(theirs);
      rows.push({ figure: 'cpu grid: tunebench packed / Optuna 3.1 + PyTorch 1.13 (1 thread), whole process', value: `${packedRatio.toFixed(2)}x`, target: '<= 1.0', ok: packedRatio <= 1.0 });
      const ratio = mine / best(theirs);
      rows.push({ figure: 'cpu grid: tunebench / Optuna 3.1 + PyTorch 1.13 (1 thread), whole process', value: `${ratio.toFixed(2)}x (${best(theirs).toFixed(0)} ms)`, target: '<= 1.0', ok: ratio <= 1.0 });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/**
 * Trial packing (bench/packBench.ts, its own process): the grid's time per trial-epoch trained
 * one by one and as packs, and the packed figure beside PyTorch's per trial-epoch.
 */
function packingRows(csvPath: string, torchEpochMs: number[], log: (text: string) => void): Row[] {
  const figures = JSON.parse(timed(process.execPath, ['--import', 'tsx', here('./packBench.ts'), csvPath, '2']).stdout) as { backend: string; packs: number[]; unpackedMs: number; packedMs: number };
  log(`cpu grid packing (${figures.backend}, packs of ${figures.packs.join('+')}): ${figures.unpackedMs.toFixed(1)} ms per trial-epoch unpacked, ${figures.packedMs.toFixed(1)} ms packed`);
  const rows: Row[] = [];
  const speedup = figures.unpackedMs / figures.packedMs;
  rows.push({ figure: `cpu grid per trial-epoch: unpacked / packed (packs of ${figures.packs.join('+')}), trainer's epoch_ms`, value: `${speedup.toFixed(2)}x (${figures.unpackedMs.toFixed(0)} -> ${figures.packedMs.toFixed(0)} ms)`, target: 'info', ok: null });
  if (torchEpochMs.length > 0) {
    const torch = Math.min(...torchEpochMs);
    const ratio = figures.packedMs / torch;
    rows.push({ figure: 'cpu grid per trial-epoch: tunebench packed / PyTorch 1.13 (1 thread)', value: `${ratio.toFixed(2)}x (${torch.toFixed(0)} ms)`, target: '<= 1.0', ok: ratio <= 1.0 });
    rows.push({ figure: 'cpu grid per trial-epoch: tunebench unpacked / PyTorch 1.13 (1 thread)', value: `${(figures.unpackedMs / torch).toFixed(2)}x`, target: 'info', ok: null });
  }
  return rows;
}
