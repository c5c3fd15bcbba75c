// `npm run bench -- ui`: time to first view of a 10,000- and a 100,000-trial x 100-epoch study (1
// and 10 million metric points) in the real browser against `tunebench serve`: the leaderboard's
// first row and the drawn history chart, median of 3 full page loads after one warm-up request.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricPoint } from '../core/api/domain.js';
import type { TrialParams } from '../core/api/spec.js';
import { listBuiltinDatasets } from '../core/data/index.js';
import { appVersion } from '../core/paths.js';
import { validateSpec } from '../core/space/parseSpec.js';
import { createStrategy } from '../core/strategies/createStrategy.js';
import type { TrialSnapshot } from '../core/strategies/strategy.js';
import { openSqliteStore } from '../core/store/sqliteStore.js';
import { launchChromium, startServe } from '../tests/e2e/server.js';

type Row = { figure: string; value: string; target: string; ok: boolean | null };

const log = (text: string) => process.stderr.write(text + '\n');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const targetMs = 1000;

/** Deterministic noise (mulberry32), so every run writes the same study. */
function noise(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A plausible val_loss curve: better near lr 0.01 and with adaptive optimizers, noisy. */
function curve(params: TrialParams, epochs: number, random: () => number): number[] {
  const lrMiss = Math.abs(Math.log10(params.learningRate) + 2);
  const adaptive = ['adam', 'rmsprop', 'adamax', 'nesterov'].includes(params.optimizer) ? 0 : 0.15;
  const floor = 0.05 + 0.12 * lrMiss + adaptive + 0.05 * random();
  const tau = 5 + 25 * random();
  return Array.from({ length: epochs }, (_, epoch) => floor + (1.1 - floor) * Math.exp(-epoch / tau) + 0.02 * (random() - 0.5));
}

/**
 * Writes the study through the Store API, as the engine would but in big batches: trials in
 * chunks, each chunk's curves in one appendMetrics transaction, then finishTrial per trial.
 */
export async function generateBigStudy(dbPath: string, trials = 10_000, epochs = 100): Promise<{ studyId: number; ms: number; points: number }> {
  const started = performance.now();
  const store = await openSqliteStore(dbPath);
  try {
    const dataset = listBuiltinDatasets().find((info) => info.key === 'builtin:iris');
    if (!dataset) throw new Error('builtin:iris is missing');
    const spec = validateSpec({
      name: `ui-bench-${trials}`,
      dataset: 'builtin:iris',
      epochs,
      objective: { metric: 'val_loss', direction: 'minimize' },
      space: {
        optimizer: { choice: ['sgd', 'momentum', 'nesterov', 'adam', 'adagrad', 'rmsprop', 'adamax'] },
        learningRate: { logUniform: [0.0001, 0.1] },
        batchSize: { choice: [16, 32, 64, 128] },
        lrSchedule: { choice: ['constant', 'exponential', 'step', 'inverse-time', 'cosine'] },
        momentum: 0.9,
        decayRate: 0.5,
        decaySteps: 10,
        decay: 0.1,
        minLrFraction: 0.01,
      },
      search: { strategy: 'random', trials, seed: 7 },
    });
    const study = await store.createStudy({ name: `ui-bench-${trials}`, spec, plannedTrials: trials, dataset, appVersion: appVersion() });
    const strategy = createStrategy(spec);
    const history: TrialSnapshot[] = [];
    const random = noise(42);
    const chunk = 500;
    let points = 0;
    for (let first = 0; first < trials; first += chunk) {
      const batch: MetricPoint[] = [];
      const results: { id: number; value: number; bestEpoch: number }[] = [];
      for (let number = first; number < Math.min(trials, first + chunk); number += 1) {
        const params = strategy.ask(history);
        if (!params) throw new Error(`the strategy stopped at trial ${number}`);
        const trial = await store.createTrial(study.id, params, number + 1);
        history.push({ number: trial.number, params, state: 'complete', value: null });
        const values = curve(params, epochs, random);
        let bestEpoch = 0;
        values.forEach((value, epoch) => {
          batch.push({ trialId: trial.id, epoch, name: 'val_loss', value });
          if (value < (values[bestEpoch] ?? Infinity)) bestEpoch = epoch;
        });
        results.push({ id: trial.id, value: values[bestEpoch] ?? 0, bestEpoch });
      }
      await store.appendMetrics(batch);
      points += batch.length;
      const endedAt = Date.now();
      for (const result of results) {
        await store.finishTrial(
          result.id,
          { state: 'complete', value: result.value, bestEpoch: result.bestEpoch, epochsRun: epochs, endedAt, error: null, backend: 'wasm' },
          [],
        );
      }
    }
    await store.setStudyStatus(study.id, 'done');
    return { studyId: study.id, ms: performance.now() - started, points };
  } finally {
    await store.close();
  }
}

/** In-page: milliseconds since navigation start once `selector` matches (a function, not a string: the CSP forbids eval). */
function sinceNavigation(selector: string): number | false {
  const page = globalThis as unknown as { document: { querySelector(selector: string): unknown }; performance: { now(): number } };
  return page.document.querySelector(selector) ? page.performance.now() : false;
}

/** Both sizes, one after the other, so the figures sit side by side in the table. */
export async function uiFirstView(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const trials of [10_000, 100_000]) rows.push(...(await firstViewOf(trials)));
  return rows;
}

async function firstViewOf(trials: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tunebench-ui-bench-'));
  const dbPath = join(dir, 'ui-bench.db');
  const rows: Row[] = [];
  const size = `${trials / 1000}k`;
  try {
    log(`ui: writing ${trials.toLocaleString('en')} trials x 100 epochs…`);
    const made = await generateBigStudy(dbPath, trials);
    log(`ui: generated ${made.points.toLocaleString('en')} points in ${(made.ms / 1000).toFixed(1)} s`);
    rows.push({
      figure: `ui bench: generate ${trials.toLocaleString('en')} trials x 100 epochs via Store API`,
      value: `${(made.ms / 1000).toFixed(1)} s (${Math.round(made.points / (made.ms / 1000)).toLocaleString('en')} points/s)`,
      target: 'info',
      ok: null,
    });
    rows.push(...(await measureFirstView(dbPath, dir, made.studyId, size)));
  } catch (error) {
    log(`ui: failed: ${(error as Error).stack ?? String(error)}`);
    rows.push({ figure: `ui first view, ${size}-trial study`, value: `failed: ${(error as Error).message.split('\n')[0]}`, target: `< ${targetMs} ms`, ok: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** Serves `dbPath` and times the study view's first row and history chart in Chromium. */
export async function measureFirstView(dbPath: string, dir: string, studyId: number, size: string): Promise<Row[]> {
  const rows: Row[] = [];
  const serve = await startServe({ dbPath, dir });
  const browser = await launchChromium();
  try {
    const origin = new URL(serve.url).origin;
    const token = new URL(serve.url).searchParams.get('token') ?? '';
    const call = async (method: string, body: unknown) => {
      const started = performance.now();
      const response = await fetch(`${origin}/api/call/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const bytes = (await response.arrayBuffer()).byteLength;
      return `${method} ${(performance.now() - started).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KiB`;
    };
    // Warm the server: one request that opens the study.
    await call('studies.get', { study: studyId });
    // Where the time goes on the server: the three calls the study view makes (info only).
    const calls = [
      await call('studies.get', { study: studyId }),
      await call('trials.page', { study: studyId, limit: 50, sort: 'value' }),
      await call('trials.history', { study: studyId, columns: 1360 }),
    ];
    log(`ui: server, warm: ${calls.join('; ')}`);
    rows.push({ figure: `ui bench, ${size}: the study view's API calls, warm (server side)`, value: calls.join('; '), target: 'info', ok: null });
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    await page.goto(serve.url); // sets the token cookie; the bundle lands in the HTTP cache
    const board: number[] = [];
    const chart: number[] = [];
    for (let load = 0; load < 3; load += 1) {
      await page.goto('about:blank');
      await page.goto(`${origin}/#/study/${studyId}`, { waitUntil: 'commit' });
      const first = await page.waitForFunction(sinceNavigation, '[data-testid="leaderboard-row"]', { polling: 'raf', timeout: 60_000 });
      const drawn = await page.waitForFunction(sinceNavigation, '[data-testid="chart-history"][data-drawn="true"]', { polling: 'raf', timeout: 60_000 });
      board.push(Number(await first.jsonValue()));
      chart.push(Number(await drawn.jsonValue()));
      log(`ui: load ${load + 1}: first leaderboard row ${board.at(-1)?.toFixed(0)} ms, history chart drawn ${chart.at(-1)?.toFixed(0)} ms`);
    }
    await context.close();
    for (const [what, values] of [['leaderboard first row', board], ['history chart drawn', chart]] as const) {
      const ms = median(values);
      rows.push({
        figure: `ui first view, ${size}-trial study: ${what} (median of 3 loads)`,
        value: `${ms.toFixed(0)} ms (${(ms / targetMs).toFixed(2)}x target)`,
        target: `< ${targetMs.toLocaleString('en')} ms`,
        ok: ms < targetMs,
      });
    }
  } finally {
    await browser.close().catch(() => {});
    await serve.stop();
  }
  return rows;
}
