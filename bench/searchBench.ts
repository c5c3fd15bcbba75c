// Real (not replayed) search at equal wall-clock: TPE + ASHA beside random search on MNIST-10k,
// each a `tunebench sweep` with the same limits.maxMinutes, both at once with one worker each so
// the shared machine's load falls on both sides alike. Each side's best complete val_loss is read
// from its database, at the budget (trials ended by then) and at the end (running trials finish).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StudySpecInput } from '../core/api/spec.js';
import { openSqliteStore } from '../core/store/sqliteStore.js';
import type { BenchRow } from './replayBench.js';

const cli = fileURLToPath(new URL('../bin/tunebench.js', import.meta.url));

/** The two sides differ only in search and pruner. */
export function searchSpec(side: 'tpe-asha' | 'random', minutes: number, seed: number): StudySpecInput {
  return {
    name: `search-${side}`,
    dataset: 'builtin:mnist',
    model: { type: 'mlp', hidden: [32], activation: 'relu' },
    objective: { metric: 'val_loss', direction: 'minimize' },
    epochs: 9,
    validationSplit: 0.2,
    space: {
      optimizer: { choice: ['sgd', 'momentum', 'adam', 'rmsprop'] },
      learningRate: { logUniform: [0.0001, 0.3] },
      batchSize: { choice: [64, 128, 256] },
    },
    search: side === 'random' ? { strategy: 'random', trials: 10_000, seed } : { strategy: 'tpe', trials: 10_000, seed },
    pruner: side === 'random' ? { type: 'none' } : { type: 'asha', minEpochs: 1, reductionFactor: 3 },
    seed,
    limits: { maxMinutes: minutes },
  };
}

interface SideResult {
  side: string;
  elapsedMs: number;
  trials: number;
  complete: number;
  pruned: number;
  epochs: number;
  bestAtBudget: number | null;
  bestAtEnd: number | null;
}

function sweep(specPath: string, dbPath: string, home: string): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'sweep', specPath, '--db', dbPath, '--workers', '1', '--json'], {
      env: { ...process.env, TUNEBENCH_HOME: home },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(started) : reject(new Error(`sweep ${specPath} exited ${code}: ${stderr}`))));
  });
}

async function readSide(side: string, dbPath: string, startedAt: number, budgetMs: number): Promise<SideResult> {
  const store = await openSqliteStore(dbPath);
  try {
    const study = await store.getStudy(`search-${side}`);
    const { rows } = await store.listTrials(study.id, { sort: 'number', limit: Number.MAX_SAFE_INTEGER });
    const complete = rows.filter((trial) => trial.state === 'complete' && trial.value !== null);
    const best = (trials: typeof complete) => (trials.length === 0 ? null : Math.min(...trials.map((trial) => trial.value!)));
    const lastEnd = Math.max(...rows.map((trial) => trial.endedAt ?? startedAt));
    return {
      side,
      elapsedMs: lastEnd - startedAt,
      trials: rows.length,
      complete: complete.length,
      pruned: rows.filter((trial) => trial.state === 'pruned').length,
      epochs: rows.reduce((sum, trial) => sum + trial.epochsRun, 0),
      bestAtBudget: best(complete.filter((trial) => trial.endedAt !== null && trial.endedAt <= startedAt + budgetMs)),
      bestAtEnd: best(complete),
    };
  } finally {
    await store.close();
  }
}

const shown = (value: number | null) => (value === null ? 'none complete' : value.toFixed(4));

export async function searchBench(log: (text: string) => void, minutes = Number(process.env.TUNEBENCH_SEARCH_MINUTES ?? 2), seed = 1): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tunebench-search-'));
  try {
    const sides = ['tpe-asha', 'random'] as const;
    log(`search: TPE+ASHA and random on MNIST-10k (784-32-10 MLP, 9 epochs), ${minutes} min each, at once, 1 worker each`);
    const starts = await Promise.all(
      sides.map((side) => {
        const specPath = join(dir, `${side}.json`);
        writeFileSync(specPath, JSON.stringify(searchSpec(side, minutes, seed)));
        return sweep(specPath, join(dir, `${side}.db`), dir);
      }),
    );
    const results = await Promise.all(sides.map((side, i) => readSide(side, join(dir, `${side}.db`), starts[i]!, minutes * 60_000)));
    for (const r of results) {
      log(`${r.side}: ${r.trials} trials (${r.complete} complete, ${r.pruned} pruned), ${r.epochs} epochs, best val_loss ${shown(r.bestAtBudget)} at the budget, ${shown(r.bestAtEnd)} after running trials finished (${(r.elapsedMs / 1000).toFixed(0)} s)`);
    }
    const [tpe, random] = results as [SideResult, SideResult];
    const isBetter = tpe.bestAtBudget !== null && (random.bestAtBudget === null || tpe.bestAtBudget < random.bestAtBudget);
    return [
      {
        figure: `search at ${minutes} min wall-clock, MNIST-10k: best val_loss TPE+ASHA vs random (at the budget)`,
        value: `${shown(tpe.bestAtBudget)} vs ${shown(random.bestAtBudget)}`,
        target: 'TPE+ASHA lower',
        ok: isBetter,
      },
      {
        figure: 'the same, trials (complete/pruned) and epochs each side',
        value: `${tpe.trials} (${tpe.complete}/${tpe.pruned}), ${tpe.epochs} ep vs ${random.trials} (${random.complete}/${random.pruned}), ${random.epochs} ep`,
        target: 'info',
        ok: null,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
