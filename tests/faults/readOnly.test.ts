import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, runCli } from '../support/cli.js';
import { canUseMountNamespace } from './dbFiles.js';

// The README's promise: reading commands work on a read-only database, writing ones say why not.
// Root ignores file modes, so the folder is made read-only for real: a read-only bind mount in a
// private mount namespace (unshare -rm), which exists for the child shell only.
const work = mkdtempSync(join(tmpdir(), 'tunebench-readonly-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('a database on a read-only disk', () => {
  it('studies, show and export read it; rename and resume are refused naming the file; nothing changes', () => {
    expect(canUseMountNamespace(), 'this test needs `unshare -rm` (user and mount namespaces) to make a read-only mount').toBe(true);
    const data = join(work, 'data');
    mkdirSync(data);
    const spec = join(work, 'spec.yaml');
    writeFileSync(spec, 'name: ro\ndataset: builtin:iris\nmodel: { type: mlp, hidden: [4] }\nepochs: 1\nspace:\n  optimizer: { choice: [sgd, adam] }\n  learningRate: 0.05\n  batchSize: 16\nsearch: { strategy: grid }\n');
    const db = join(data, 't.db');
    const swept = runCli(['sweep', spec, '--db', db, '--json']);
    expect(swept.status, swept.stderr).toBe(0);
    const before = sha(db);
    const files = readdirSync(data).sort();

    const out = (name: string) => join(work, name);
    const cli = (args: string, name: string) => `"${process.execPath}" ${binPath} ${args} --db ${db} > ${out(name)}.out 2> ${out(name)}.err; echo $? > ${out(name)}.rc`;
    const script = [
      `mount --bind ${data} ${data} && mount -o remount,bind,ro ${data} || exit 3`,
      `touch ${data}/probe 2>/dev/null && exit 4`, // the mount must really refuse writes
      cli('studies --json', 'studies'),
      cli('show ro --json', 'show'),
      cli('export ro --format csv', 'export'),
      cli('rename ro renamed', 'rename'),
      cli('resume ro', 'resume'),
    ].join('\n');
    const shell = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8', timeout: 120_000 });
    expect(shell.status, `could not set up the read-only mount (exit ${shell.status}): ${shell.stderr}`).toBe(0);
    const result = (name: string) => ({ rc: Number(readFileSync(`${out(name)}.rc`, 'utf8')), stdout: readFileSync(`${out(name)}.out`, 'utf8'), stderr: readFileSync(`${out(name)}.err`, 'utf8') });

    const studies = result('studies');
    expect(studies.rc, studies.stderr).toBe(0);
    expect((JSON.parse(studies.stdout) as { name: string }[]).map((s) => s.name)).toEqual(['ro']);
    const show = result('show');
    expect(show.rc, show.stderr).toBe(0);
    expect(show.stdout.match(/"state": "complete"/g)).toHaveLength(2);
    const exported = result('export');
    expect(exported.rc, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^rank,number,state,value.*\n1,\d+,complete,/s);
    for (const refused of [result('rename'), result('resume')]) {
      expect(refused.rc).toBe(2);
      expect(refused.stderr).toContain(`cannot write the database ${db}`);
      expect(refused.stderr).toMatch(/read-only/);
    }
    expect(sha(db)).toBe(before);
    expect(readdirSync(data).sort()).toEqual(files);
  });
});
