import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../api/contract.js';
import type { Direction } from '../api/domain.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import type { HistoryRow } from '../store/store.js';
import { historyOf } from './history.js';
import { readHistory } from './historyRead.js';
import { sampleHistory } from './historySample.js';
import { sampleParams, sampleStudy } from '../../tests/support/storeFixtures.js';
import { useTempDatabases } from '../../tests/support/sqliteFiles.js';

const temp = useTempDatabases();

/** A seeded history: mostly complete trials, some failed or pruned (`prunedShare`), the last few still running. */
function makeHistory(count: number, prunedShare = 0): HistoryPoint[] {
  let state = 7;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows: HistoryRow[] = Array.from({ length: count }, (_, number) => {
    const draw = random();
    const failed = draw < 0.05;
    const pruned = !failed && draw < 0.05 + prunedShare;
    return {
      trialId: number + 1,
      epochsRun: 3,
      number,
      state: number >= count - 3 ? 'running' : failed ? 'failed' : pruned ? 'pruned' : 'complete',
      value: number >= count - 3 || failed ? null : random(),
      durationMs: 10,
      params: { optimizer: 'adam', learningRate: 0.01, batchSize: 16, lrSchedule: 'constant' },
    };
  });
  return historyOf(rows, 'minimize');
}

const bestSteps = (points: readonly HistoryPoint[]) => {
  const steps: [number, number | null][] = [];
  for (const point of points) if (steps.at(-1)?.[1] !== point.best) steps.push([point.number, point.best]);
  return steps;
};

describe('sampleHistory', () => {
  it('returns a short history whole', () => {
    const points = makeHistory(300);
    expect(sampleHistory(points, 100)).toEqual(points);
  });

  it('thins 100,000 trials to a few points per column and keeps what the chart shows', () => {
    const points = makeHistory(100_000);
    const columns = 1000;
    const sampled = sampleHistory(points, columns);
    expect(sampled.length).toBeLessThan(columns * 5);
    // Still in trial order, each point unchanged.
    const byNumber = new Map(points.map((point) => [point.number, point]));
    sampled.forEach((point, index) => {
      expect(point).toBe(byNumber.get(point.number));
      if (index > 0) expect(point.number).toBeGreaterThan(sampled[index - 1]?.number ?? Infinity);
    });
    // The best-so-far line is exact, and every column's lowest and highest value is drawn.
    expect(bestSteps(sampled)).toEqual(bestSteps(points));
    const kept = new Set(sampled.map((point) => point.number));
    const width = points.length / columns;
    for (let column = 0; column < columns; column++) {
      const slice = points.slice(Math.floor(column * width), Math.floor((column + 1) * width)).filter((point) => point.value !== null);
      const values = slice.map((point) => point.value ?? 0);
      const low = Math.min(...values);
      const high = Math.max(...values);
      expect(sampled.some((point) => kept.has(point.number) && point.value === low && slice.includes(point))).toBe(true);
      expect(sampled.some((point) => point.value === high && slice.includes(point))).toBe(true);
    }
    // Running trials stay, so live updates patch them in place; the last trial ends the line.
    expect(sampled.filter((point) => point.state === 'running')).toHaveLength(3);
    expect(sampled.at(-1)).toBe(points.at(-1));
  });

  it('keeps each column\'s lowest and highest pruned mark, as ASHA prunes most trials', () => {
    const points = makeHistory(100_000, 0.7);
    const columns = 1000;
    const sampled = new Set(sampleHistory(points, columns));
    const width = points.length / columns;
    for (let column = 0; column < columns; column++) {
      const pruned = points.slice(Math.floor(column * width), Math.floor((column + 1) * width)).filter((point) => point.pruned);
      const marks = pruned.map((point) => point.pruned?.value ?? 0);
      for (const extreme of [Math.min(...marks), Math.max(...marks)]) {
        expect(pruned.some((point) => sampled.has(point) && point.pruned?.value === extreme), `column ${column}`).toBe(true);
      }
    }
    expect(sampled.size).toBeLessThan(columns * 7);
  });
});

/**
 * A real SQLite study of `count` trials written in one transaction: values from a seeded walk
 * (ties and exact repeats included), every 13th failed, every 17th pruned with a value, the last
 * few running; parameters vary so a mixed-up row would show.
 */
async function bigStudy(path: string, count: number, direction: Direction): Promise<number> {
  const store = await openSqliteStore(path);
  const { id } = await store.createStudy(sampleStudy(`big-${direction}`, { metric: 'val_loss', direction }));
  await store.close();
  const db = new Database(path);
  const insert = db.prepare(`INSERT INTO trial (study_id, number, params, state, value, duration_ms, seed) VALUES (?, ?, ?, ?, ?, ?, 1)`);
  let seed = 11;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  db.transaction(() => {
    for (let number = 0; number < count; number++) {
      const state = number >= count - 4 ? 'running' : number % 13 === 0 ? 'failed' : number % 17 === 0 ? 'pruned' : 'complete';
      const value = state === 'failed' || state === 'running' ? null : Math.round(random() * 1e4) / 1e4;
      const params = sampleParams(number % 2 === 0 ? 'adam' : 'sgd', 1e-4 * (1 + (number % 997)));
      insert.run(id, number, JSON.stringify(params), state, value, number);
    }
  })();
  db.close();
  return id;
}

describe('readHistory on a real 100,000-trial SQLite study', () => {
  // Maximize on a smaller study: the reference read of every row takes seconds on a loaded box.
  for (const [direction, count] of [['minimize', 100_000], ['maximize', 20_000]] as const) {
    it(`thins to exactly the points of sampleHistory over every row (${direction}, ${count} trials)`, async () => {
      const path = temp.file();
      const studyId = await bigStudy(path, count, direction);
      const store = await openSqliteStore(path);
      try {
        const study = await store.getStudy(studyId);
        const every = historyOf(await store.historyRows(studyId), direction);
        const thinned = await readHistory(store, study, 'best', 1360);
        // Same points, parameters and durations included: the best-so-far line is exact and
        // every column's extremes are kept (the properties checked on sampleHistory above).
        expect(thinned).toEqual(sampleHistory(every, 1360));
        expect(thinned.length).toBeLessThan(1360 * 5);
        const drawnSteps = (points: readonly HistoryPoint[]) => bestSteps(points).filter(([, best]) => best !== null);
        expect(drawnSteps(thinned)).toEqual(drawnSteps(every));
        expect(thinned.filter((point) => point.state === 'running')).toHaveLength(4);
        // Whole when asked without columns, and whole when short enough to send as is (compared
        // as JSON: a deep equality of 100,000 objects takes seconds).
        const whole = JSON.stringify(every);
        expect(JSON.stringify(await readHistory(store, study, 'best')) === whole).toBe(true);
        expect(JSON.stringify(await readHistory(store, study, 'best', count)) === whole).toBe(true);
      } finally {
        await store.close();
      }
    });
  }
});
