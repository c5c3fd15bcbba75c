import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRequest } from '../../core/api/dispatch.js';
import { parseSpecText } from '../../core/space/parseSpec.js';
import { openSqliteStore } from '../../core/store/sqliteStore.js';
import { runCli } from '../support/cli.js';
import { sampleStudy } from '../support/storeFixtures.js';
import { tally } from './tally.js';

// Issue 9 defects 6 and 8, RELIABILITY rows 46 and 48: pathological specs are refused fast and
// with bounded memory; control characters never reach a terminal raw and never enter a name.
const dir = mkdtempSync(join(tmpdir(), 'tunebench-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const base = 'dataset: builtin:iris\nspace:\n  optimizer: adam\n  learningRate: 0.01\n  batchSize: 8\n';

function refusedWithin(text: string, ms: number): { code: string; message: string } {
  const started = performance.now();
  try {
    parseSpecText(text);
  } catch (error) {
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(ms);
    tally('badInputsTried');
    return error as { code: string; message: string };
  }
  throw new Error('the spec was accepted');
}

describe('pathological specs', () => {
  it('115k keys in 985 KB are refused before YAML parsing, in well under a second', () => {
    let text = base + 'extra:\n';
    for (let i = 0; text.length < 985_000; i++) text += `  k${i}: ${i}\n`;
    const error = refusedWithin(text, 500);
    expect(error.code).toBe('SPEC_PARSE');
    expect(error.message).toMatch(/more than 10000 keys/);
  });

  it('the same as JSON', () => {
    const keys = Array.from({ length: 60_000 }, (_, i) => `"k${i}":${i}`).join(',');
    expect(refusedWithin(`{"dataset":"builtin:iris","x":{${keys}}}`, 500).message).toMatch(/more than 10000 keys/);
  });

  it('100k levels of nesting are refused at once', () => {
    expect(refusedWithin('['.repeat(100_000) + ']'.repeat(100_000), 200).message).toMatch(/nested more than 64 levels/);
  });

  it('honest duplicate keys are still found, with their line', () => {
    const error = refusedWithin(base + 'epochs: 3\nepochs: 4\n', 200);
    expect(error.message).toContain('line 7, column 1: duplicate key "epochs"');
  });

  it('NUL and other control characters are refused, naming line and column', () => {
    const error = refusedWithin(base + 'name: "a\u0000b"\n', 200);
    expect(error.message).toMatch(/line 6, column \d+: control character U\+0000/);
  });

  it('`validate /dev/zero` stops at the size limit with exit 2', () => {
    const result = runCli(['validate', '/dev/zero']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('cannot read spec file /dev/zero: larger than 4000000 bytes');
    tally('badInputsTried');
  });

  it('a spec file that is not UTF-8 is refused, not read as replacement characters', () => {
    const path = join(dir, 'latin1.yaml');
    writeFileSync(path, Buffer.concat([Buffer.from(base + 'name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const result = runCli(['validate', path]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`cannot read spec file ${path}: not UTF-8 text`);
    tally('badInputsTried');
  });
});

describe('control characters in names', () => {
  const clear = '\u001b[2J\u001b[H';

  it('are refused in a spec name and in API names, naming the field', () => {
    expect(() => parseSpecText(base + `name: "evil\\e[2J"\n`)).toThrow(/\/name: no control characters/);
    expect(() => parseRequest('studies.rename', { study: 1, name: `x${clear}` })).toThrow(/\/name no control characters/);
    expect(() => parseRequest('studies.create', { spec: base, name: 'tab\there' })).toThrow(/\/name no control characters/);
    tally('badInputsTried', 3);
  });

  it('already stored (an older database) are escaped in the terminal, raw in no output', async () => {
    const path = join(dir, 'names.db');
    const store = await openSqliteStore(path);
    await store.createStudy({ ...sampleStudy('plain'), name: `evil${clear}\u009b31m` });
    await store.close();
    const table = runCli(['studies', '--db', path]);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toContain('evil\\u001b[2J\\u001b[H\\u009b31m');
    const json = runCli(['studies', '--db', path, '--json']);
    expect(JSON.parse(json.stdout)[0].name).toBe(`evil${clear}\u009b31m`); // escapes keep JSON exact
    for (const output of [table.stdout, table.stderr, json.stdout]) expect(output).not.toMatch(/[\u001b\u009b]/);
    tally('badInputsTried');
  });
});
