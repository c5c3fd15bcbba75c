import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../tests/support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tunebench-cli-'));
const db = join(dir, 'cli.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tunebench CLI: input errors', () => {
  it('exits 2 with the field named for an invalid spec, and writes nothing', () => {
    const spec = join(dir, 'bad.yaml');
    writeFileSync(spec, 'dataset: builtin:iris\nspace:\n  optimizer: { choice: [sgd, adamw] }\n  learningRate: 0.01\n  batchSize: 16\n');
    const result = runCli(['sweep', spec, '--db', db]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('/space/optimizer');
    expect(result.stderr).toContain('adamw');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace without --verbose
    const studies = runCli(['studies', '--db', db, '--json']);
    expect(JSON.parse(studies.stdout)).toEqual([]);
  });

  it('exits 2 naming the CSV line for a ragged file', () => {
    const csv = join(dir, 'ragged.csv');
    writeFileSync(csv, 'a,b,label\n1,2,x\n3,4\n5,6,y\n');
    const spec = join(dir, 'csv.yaml');
    writeFileSync(spec, `dataset: { csv: ${JSON.stringify(csv)}, target: label }\nspace: { optimizer: adam, learningRate: 0.01, batchSize: 8 }\n`);
    const result = runCli(['sweep', spec, '--db', db]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/line 3/);
  });

  it('exits 2 for a bad argument and for an unknown study', () => {
    expect(runCli(['sweep', 'x.yaml', '--workers', '0', '--db', db]).status).toBe(2);
    const missing = runCli(['show', 'no-such-study', '--db', db]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no-such-study');
  });

  it('lists the built-in datasets', () => {
    const result = runCli(['datasets', '--json']);
    expect(result.status).toBe(0);
    const keys = (JSON.parse(result.stdout) as { key: string }[]).map((d) => d.key);
    expect(keys).toEqual(expect.arrayContaining(['builtin:iris', 'builtin:penguins', 'builtin:penguins-mass', 'builtin:mnist', 'builtin:synthetic-linear']));
  });
});
