import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binPath, runCli } from '../../tests/support/cli.js';
import { createTunebenchService } from '../engine/service.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import { completed, finishedTrial, sampleStudy } from '../../tests/support/storeFixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-cli-study-'));
const db = join(dir, 'cli.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Studies made through the service (as the dashboard makes them), not started: no training needed. */
beforeAll(async () => {
  const service = createTunebenchService({ store: await openSqliteStore(db), workDir: dir });
  for (const name of ['alpha', 'beta']) {
    await service.studies.create({ spec: { name, dataset: 'builtin:iris', space: { optimizer: 'adam', learningRate: 0.01, batchSize: 16 } }, start: false });
  }
  await service.close();
});

const cli = (...args: string[]) => runCli([...args, '--db', db]);
const studyJson = (name: string) => JSON.parse(cli('show', name, '--json').stdout).study as { name: string; tags: string[]; notes: string };

describe('rename, tag, note and delete from the command line', () => {
  it('renames a study; a taken name is exit 2 and changes nothing', () => {
    const renamed = cli('rename', 'alpha', 'gamma');
    expect(renamed.status, renamed.stderr).toBe(0);
    expect(renamed.stdout).toContain('alpha -> gamma');
    const conflict = cli('rename', 'gamma', 'beta');
    expect(conflict.status).toBe(2);
    expect(conflict.stderr).toContain('a study named "beta" exists already');
    expect(conflict.stderr).not.toContain('--name');
    expect(studyJson('gamma').name).toBe('gamma');
  });

  it('adds, removes and lists tags; an over-long tag is exit 2 naming it', () => {
    expect(cli('tag', 'beta', 'baseline', 'iris, quick').stdout).toBe('beta: baseline, iris, quick\n');
    expect(cli('tag', 'beta', 'quick', '--remove').status).toBe(0);
    expect(studyJson('beta').tags).toEqual(['baseline', 'iris']);
    const tooLong = cli('tag', 'beta', 'x'.repeat(51));
    expect(tooLong.status).toBe(2);
    expect(tooLong.stderr).toContain('/tags/2');
    expect(cli('tag', 'beta').stdout).toBe('beta: baseline, iris\n');
  });

  it('sets, appends to and prints notes', () => {
    expect(cli('note', 'beta', 'lr 0.01 looks best').status).toBe(0);
    expect(cli('note', 'beta', 'try momentum', '--append').status).toBe(0);
    expect(studyJson('beta').notes).toBe('lr 0.01 looks best\ntry momentum');
    expect(cli('note', 'beta').stdout).toBe('lr 0.01 looks best\ntry momentum\n');
  });

  it('deletes only with --yes', () => {
    const unconfirmed = cli('delete', 'gamma');
    expect(unconfirmed.status).toBe(2);
    expect(unconfirmed.stderr).toContain('add --yes');
    const deleted = cli('delete', 'gamma', '--yes');
    expect(deleted.status, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain('deleted study gamma');
    const names = (JSON.parse(cli('studies', '--json').stdout) as { name: string }[]).map((study) => study.name);
    expect(names).toEqual(['beta']);
  });
});

describe('command-line polish', () => {
  it('says "1 trial", not "1 trials"', () => {
    const spec = join(dir, 'one.yaml');
    writeFileSync(spec, 'dataset: builtin:iris\nspace: { optimizer: adam, learningRate: 0.01, batchSize: 16 }\n');
    expect(runCli(['validate', spec]).stdout.split('\n')[0]).toBe('ok: 1 trial planned (grid)');
    expect(cli('show', 'beta').stdout).toContain('0 trials\n\nNo trials yet.');
  });

  it('lists datasets within 80 columns when piped', () => {
    const lines = runCli(['datasets']).stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(5);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('refuses an impossible port with exit 2, and shows each default once', () => {
    const result = runCli(['serve', '--port', '99999', '--db', db]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port must be a whole number from 0 to 65535');
    const help = runCli(['serve', '--help']).stdout;
    expect(help).not.toMatch(/\(default: [^)]*\)\s*\(default:/);
  });

  it('exits quietly when the reader of its output goes away (| head)', async () => {
    // More JSON than a pipe buffers (64 KiB), so the writer meets the closed pipe.
    const bigDb = join(dir, 'many.db');
    const service = createTunebenchService({ store: await openSqliteStore(bigDb), workDir: dir });
    for (let i = 0; i < 80; i += 1) await service.studies.create({ spec: { name: `s${i}`, dataset: 'builtin:iris', space: { optimizer: 'adam', learningRate: 0.01, batchSize: 16 } }, start: false });
    await service.close();
    // A real shell pipe: Node's own child pipes are sockets with far larger buffers.
    const shell = spawnSync('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${binPath}" studies --json --db "${bigDb}" | head -c 1`], { encoding: 'utf8' });
    const { stderr, status: code } = shell;
    expect(shell.stdout).toBe('[');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('show --verbose names the GPU adapter a study trained on, once', async () => {
    const store = await openSqliteStore(db);
    const studyId = (await store.createStudy(sampleStudy('on-gpu'))).id;
    const adapter = { vendor: 'amd', architecture: 'rdna-3', description: 'AMD open-source driver: Mesa 24.2.8', device: 'AMD Radeon RX 7600', isSoftware: false };
    for (const value of [0.3, 0.2]) await finishedTrial(store, studyId, { ...completed(value), backend: 'webgpu', adapter });
    await store.close();
    const verbose = cli('show', 'on-gpu', '--verbose');
    expect(verbose.status, verbose.stderr).toBe(0);
    expect(verbose.stdout.split('\n').filter((line) => line.startsWith('GPU adapter:'))).toEqual([
      'GPU adapter: amd rdna-3: AMD open-source driver: Mesa 24.2.8, AMD Radeon RX 7600',
    ]);
    expect(cli('show', 'on-gpu').stdout).not.toContain('GPU adapter');
  });
});
