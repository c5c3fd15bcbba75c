import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { unsafeUniformIntDistribution } from 'pure-rand';
import { afterAll, describe, expect, it } from 'vitest';
import { seededRng } from '../../core/data/rng.js';
import { binPath, runCli } from '../support/cli.js';
import { tally } from './tally.js';

// RELIABILITY rows 1 and 19 as a loop: a real CLI sweep (real training, 2 worker processes) is
// killed with SIGKILL to its whole process group at 20 seeded moments (start-up, open, trial
// creation, mid-epoch, just after a finish), resumed each time, and checked after every kill.
const dir = mkdtempSync(join(tmpdir(), 'tunebench-kill-loop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const kills = 20;
const seed = 9;

const spec = `
name: kill-loop
dataset: builtin:iris
model: { type: mlp, hidden: [16] }
objective: { metric: val_accuracy, direction: maximize }
epochs: 600
space:
  optimizer: { choice: [sgd, adam] }
  learningRate: { choice: [0.003, 0.01, 0.02, 0.03, 0.05, 0.1] }
  batchSize: { choice: [8, 16, 32, 64] }
search: { strategy: grid }
limits: { maxConsecutiveFailures: 1000 }
seed: 5
`;

interface Snapshot {
  integrity: string;
  complete: Map<number, number | null>;
  duplicates: number;
  unfinished: number;
}

function snapshot(db: string): Snapshot {
  const raw = new Database(db, { fileMustExist: true });
  try {
    const integrity = String(raw.pragma('integrity_check', { simple: true }));
    const rows = raw.prepare<[], { number: number; value: number | null }>("SELECT number, value FROM trial WHERE state = 'complete'").all();
    const duplicates = raw.prepare<[], { n: number }>('SELECT count(*) AS n FROM (SELECT study_id, number FROM trial GROUP BY study_id, number HAVING count(*) > 1)').get()?.n ?? 0;
    const unfinished = raw.prepare<[], { n: number }>("SELECT count(*) AS n FROM trial WHERE state IN ('running', 'queued')").get()?.n ?? 0;
    return { integrity, complete: new Map(rows.map((row) => [row.number, row.value])), duplicates, unfinished };
  } finally {
    raw.close();
  }
}

/** Trials running and complete now (0 and 0 before the study exists). */
function progress(db: string): { running: number; complete: number } {
  try {
    const raw = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const count = (state: string) => raw.prepare<[string], { n: number }>('SELECT count(*) AS n FROM trial WHERE state = ?').get(state)?.n ?? 0;
      return { running: count('running'), complete: count('complete') };
    } finally {
      raw.close();
    }
  } catch {
    return { running: 0, complete: 0 };
  }
}

/** When a round's kill lands: in start-up, while a trial runs, or just after one finished. */
type Phase = 'start-up' | 'running' | 'finished';

/**
 * Starts the CLI in its own process group and SIGKILLs the group `delayMs` after it started
 * (start-up, open, first trials), after a trial is running (creation, epochs) or after one more
 * trial finished (its finish, the next creation), so kills land in every phase however slow the
 * machine is, and the sweep makes progress between kills.
 */
async function runAndKill(args: string[], db: string, delayMs: number, phase: Phase): Promise<boolean> {
  const child = spawn(process.execPath, [binPath, ...args], { detached: true, stdio: 'ignore' });
  let hasExited = false;
  const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve((hasExited = true))));
  const deadline = Date.now() + 60_000;
  const completeBefore = progress(db).complete;
  const isReached = () => (phase === 'running' ? progress(db).running > 0 : phase === 'finished' ? progress(db).complete > completeBefore : true);
  while (!hasExited && !isReached() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const finishedFirst = await Promise.race([exited, new Promise<false>((resolve) => setTimeout(() => resolve(false), delayMs))]);
  if (finishedFirst) return false;
  try {
    process.kill(-(child.pid as number), 'SIGKILL'); // the CLI and its worker processes at once
  } catch {
    return false; // it exited in between
  }
  await exited;
  return true;
}

describe('SIGKILL loop over a real CLI sweep', () => {
  it(`${kills} seeded kills: progress monotone, no finished trial lost or duplicated, integrity ok`, async () => {
    const specPath = join(dir, 'kill-loop.yaml');
    writeFileSync(specPath, spec);
    const db = join(dir, 'kill-loop.db');
    const rng = seededRng(seed);
    let previous: Snapshot | null = null;
    let killed = 0;
    let resumes = 0;
    for (let round = 0; round < kills; round++) {
      const phase = (['start-up', 'running', 'finished'] as const)[round % 3]!;
      const delayMs = phase === 'start-up' ? 300 + unsafeUniformIntDistribution(0, 3_000, rng) : unsafeUniformIntDistribution(0, phase === 'running' ? 3_000 : 300, rng);
      const isFirst = !snapshotHasStudy(db);
      const args = isFirst ? ['sweep', specPath, '--db', db, '--workers', '2'] : ['resume', 'kill-loop', '--db', db, '--workers', '2'];
      if (!isFirst) resumes += 1;
      if (await runAndKill(args, db, delayMs, phase)) killed += 1;
      if (!snapshotHasStudy(db)) continue; // killed before the study was written
      const now = snapshot(db);
      expect(now.integrity, `round ${round}`).toBe('ok');
      expect(now.duplicates, `round ${round}`).toBe(0);
      for (const [number, value] of previous?.complete ?? []) expect(now.complete.get(number), `trial #${number} after round ${round}`).toBe(value);
      expect(now.complete.size).toBeGreaterThanOrEqual(previous?.complete.size ?? 0);
      previous = now;
    }
    const final = runCli(['resume', 'kill-loop', '--db', db, '--workers', '2', '--json']);
    expect(final.status, final.stderr).toBe(0);
    expect(JSON.parse(final.stdout).study.status).toBe('done');
    const end = snapshot(db);
    expect(end).toMatchObject({ integrity: 'ok', duplicates: 0, unfinished: 0 });
    expect(end.complete.size).toBe(48); // every grid point complete exactly once
    for (const [number, value] of previous?.complete ?? []) expect(end.complete.get(number)).toBe(value);
    expect(killed).toBeGreaterThanOrEqual(kills - 2); // a round may end on its own before its kill
    tally('kills', killed);
    tally('resumes', resumes + 1);
    tally('trialsRecovered', previous?.complete.size ?? 0);
    expect(previous?.complete.size ?? 0).toBeGreaterThan(0); // trials did finish between kills
    tally('integrityChecks', kills + 1);
  });
});

function snapshotHasStudy(db: string): boolean {
  try {
    const raw = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return raw.prepare("SELECT 1 FROM sqlite_master WHERE name = 'study'").get() !== undefined && raw.prepare('SELECT 1 FROM study').get() !== undefined;
    } finally {
      raw.close();
    }
  } catch {
    return false;
  }
}
