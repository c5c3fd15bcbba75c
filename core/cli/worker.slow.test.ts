import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../tests/support/cli.js';
import { useTempPostgres } from '../../tests/support/postgresStores.js';
import { openPostgresStore } from '../store/postgresStore.js';

const pg = useTempPostgres();
const dir = mkdtempSync(join(tmpdir(), 'tunebench-worker-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spec = (name: string, trials: number) => {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, `name: ${name}
dataset: builtin:iris
model: { type: logistic }
objective: { metric: val_loss, direction: minimize }
epochs: 2
space: { optimizer: { choice: [sgd, adam] }, learningRate: { logUniform: [0.001, 0.1] }, batchSize: 32 }
search: { strategy: random, trials: ${trials}, seed: 5 }
`);
  return path;
};

function exited(proc: ReturnType<typeof startCli>) {
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise<{ code: number | null; stderr: string }>((resolve) => proc.once('exit', (code) => resolve({ code, stderr })));
}

describe('tunebench sweep and worker on a PostgreSQL store', () => {
  it('worker without a postgres URL exits 2 naming --db', () => {
    const result = runCli(['worker', '--db', join(dir, 'x.db')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--db postgres:\/\//);
  });

  it('a sweep owner and a second worker process share one study; a server restart mid-sweep loses no finished trial', async () => {
    const url = await pg.url();
    const owner = startCli(['sweep', spec('shared', 12), '--db', url, '--workers', '1']);
    const ownerDone = exited(owner);
    const store = await openPostgresStore(url, { retryForMs: 60_000 });
    const studyId = async () => (await store.listStudies())[0]?.id;
    while (!(await studyId())) await new Promise((resolve) => setTimeout(resolve, 200));
    const worker = startCli(['worker', '--db', url, '--study', 'shared', '--exit-when-idle']);
    const workerDone = exited(worker);
    // Once a few trials are finished, the server dies and comes back.
    const id = (await studyId()) as number;
    while ((await store.summarizeStudy(id)).counts.complete < 3) await new Promise((resolve) => setTimeout(resolve, 200));
    const before = (await store.listTrials(id, { states: ['complete'] })).rows.map((t) => t.id);
    pg.server().kill();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    pg.server().start();
    const [ownerEnd, workerEnd] = await Promise.all([ownerDone, workerDone]);
    expect(ownerEnd.code, ownerEnd.stderr).toBe(0);
    expect(workerEnd.code, workerEnd.stderr).toBe(0);
    const summary = await store.summarizeStudy(id);
    expect(summary.status).toBe('done');
    expect(summary.counts.complete).toBe(12);
    const { rows } = await store.listTrials(id, { limit: 1000 });
    for (const trialId of before) expect(rows.find((t) => t.id === trialId)?.state).toBe('complete');
    const workers = new Set(rows.filter((t) => t.state === 'complete').map((t) => t.worker?.split('-w')[0]));
    expect(workers.size).toBe(2); // both processes trained some
    await store.close();

    // The shared study comes home to a file; a second copy meets the taken name.
    const file = join(dir, 'home.db');
    const copied = runCli(['copy', '--from', url, '--to', file]);
    expect(copied.status, copied.stderr).toBe(0);
    const listed = runCli(['studies', '--db', file, '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'shared', status: 'done', counts: { complete: 12 } }]);
    expect(runCli(['copy', '--from', url, '--to', file]).status).toBe(2);
  }, 300_000);
});
