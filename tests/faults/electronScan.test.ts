import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// RELIABILITY row 31: `npm test` scans the built app (npm run scan:electron). These show the gate bites.
const script = join(import.meta.dirname, '../../scripts/scanElectron.js');
const insecureApp = join(import.meta.dirname, '../fixtures/insecureElectron');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tunebench-scan-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('the Electronegativity gate', () => {
  it('fails on HIGH findings (node integration, no context isolation, web security off) and writes SARIF', async () => {
    const sarif = join(dir, 'insecure.sarif');
    const run = promisify(execFile)(process.execPath, [script, insecureApp, sarif]);
    const failure = await run.then(() => null, (error: { code: number; stdout: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toMatch(/NODE_INTEGRATION_JS_CHECK/);
    expect(failure?.stdout).toMatch(/CONTEXT_ISOLATION_JS_CHECK/);
    expect(failure?.stdout).toMatch(/[1-9]\d* HIGH/);
    const report = JSON.parse(await readFile(sarif, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(report.runs[0]!.results.map((r) => r.ruleId)).toContain('NODE_INTEGRATION_JS_CHECK');
  }, 120_000);

  it('fails on a built file it cannot parse (it was not checked): a chunk that declares require twice', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises');
    const app = join(dir, 'broken');
    await mkdir(app);
    await writeFile(join(app, 'chunk.js'), 'export const here = import.meta.url;\nconst require = 1;\nvar require = 2;\n');
    const run = promisify(execFile)(process.execPath, [script, app, join(dir, 'broken.sarif')]);
    const failure = await run.then(() => null, (error: { code: number; stderr: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/not scanned: .*chunk\.js: Identifier 'require' has already been declared/);
  }, 120_000);
});
