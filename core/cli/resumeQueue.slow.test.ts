import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { binPath } from '../../tests/support/cli.js';
import { useTempPostgres } from '../../tests/support/postgresStores.js';
import { openPostgresStore } from '../store/postgresStore.js';
import { anyWorker } from '../store/postgresWork.js';

const pg = useTempPostgres();
const dir = mkdtempSync(join(tmpdir(), 'tunebench-resume-queue-'));
const started: number[] = [];
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** The real CLI in its own process group (killing the group is a machine dying, trainers too). */
function cli(args: string[], cwd: string, home: string) {
  const proc = spawn(process.execPath, [binPath, ...args], { cwd, env: { ...process.env, TUNEBENCH_HOME: home }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc.pid as number);
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  proc.stdout?.resume();
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => proc.once('exit', (code) => resolve({ code, stderr })));
  return { pid: proc.pid as number, exited };
}

const poll = async (what: string, check: () => Promise<boolean>, ms = 120_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

describe('resume of a PostgreSQL study goes through the shared queue', () => {
  it('a sweep killed -9 is resumed by tunebench resume as the queue owner; a worker on another machine trains some of the rest', async () => {
    const url = await pg.url();
    const machineA = join(dir, 'a');
    const machineB = join(dir, 'b');
    mkdirSync(machineA);
    mkdirSync(machineB);
    writeFileSync(join(machineA, 'spec.yaml'), `name: resumed
dataset: builtin:iris
model: { type: logistic }
objective: { metric: val_loss, direction: minimize }
epochs: 400
space: { optimizer: { choice: [sgd, adam, rmsprop] }, learningRate: { logUniform: [0.001, 0.1], gridPoints: 4 }, batchSize: 16 }
search: { strategy: grid }
`);
    const store = await openPostgresStore(url, { retryForMs: 60_000 });
    const sweep = cli(['sweep', 'spec.yaml', '--db', url, '--workers', '1'], machineA, join(machineA, 'home'));
    await poll('2 trials complete', async () => ((await store.listStudies())[0]?.counts.complete ?? 0) >= 2);
    process.kill(-sweep.pid, 'SIGKILL');
    await sweep.exited;
    const study = await store.getStudy('resumed');

    const resume = cli(['resume', 'resumed', '--db', url, '--workers', '1'], machineA, join(machineA, 'home'));
    // The resumed owner queues trials for any worker: only then is there work for machine B.
    await poll('the resumed owner queuing', async () => (await store.getStudy(study.id)).owner?.pid === resume.pid && (await store.listTrials(study.id, { states: ['queued'] })).rows.some((t) => t.worker === anyWorker), 60_000);
    const worker = cli(['worker', '--db', url, '--study', 'resumed', '--exit-when-idle'], machineB, join(machineB, 'home'));
    const [resumed, joined] = await Promise.all([resume.exited, worker.exited]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(joined.code, joined.stderr).toBe(0);

    const summary = await store.summarizeStudy(study.id);
    expect(summary).toMatchObject({ status: 'done', counts: { complete: 12, queued: 0, running: 0 } });
    const { rows } = await store.listTrials(study.id, { limit: 1000 });
    const trainedBy = (pid: number) => rows.filter((t) => t.state === 'complete' && t.worker?.includes(`:${pid}-w`)).length;
    expect(trainedBy(worker.pid), joined.stderr).toBeGreaterThan(0);
    expect(trainedBy(resume.pid) + trainedBy(worker.pid) + trainedBy(sweep.pid)).toBe(12);
    await store.close();
  }, 300_000);
});
