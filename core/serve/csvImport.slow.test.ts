// RELIABILITY row 28 / issue 9 defect 5: a big CSV imported through a real `tunebench serve` is
// streamed to disk and scanned in a worker thread: other requests are answered meanwhile and the
// server's peak RSS grows by far less than the file (the JSON-text import grew it ~20x the file).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { writeBigCsv } from '../../tests/support/bigCsv.js';
import { startCli } from '../../tests/support/cli.js';

const csvMb = 80;
/** Peak RSS growth allowed for the whole import; the old JSON-text path grew far past it. */
const maxGrowthMb = 250;

const dir = mkdtempSync(join(tmpdir(), 'tb-bigcsv-'));
const server = startCli(['serve', '--db', join(dir, 't.db'), '--json', '--port', '0'], { env: { TUNEBENCH_HOME: dir } });
afterAll(async () => {
  if (server.exitCode === null) {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The process's peak resident set so far (VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1]) / 1024;
}

async function listening(): Promise<{ port: number; token: string }> {
  let out = '';
  for await (const chunk of server.stdout) {
    out += String(chunk);
    if (out.includes('\n')) break;
  }
  const { url, port } = JSON.parse(out.split('\n')[0] as string) as { url: string; port: number };
  return { port, token: new URL(url).searchParams.get('token') as string };
}

function post(port: number, token: string, path: string, body: Buffer | string, type: string): Promise<{ status: number; json: unknown }> {
  return postStream(port, token, path, type, (req) => req.end(body));
}

function postStream(port: number, token: string, path: string, type: string, send: (req: ReturnType<typeof request>) => void): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    send(req);
  });
}

describe(`a ${csvMb} MB CSV through the web host`, () => {
  it('is streamed, scanned and described in a worker: other requests are answered meanwhile, and peak RSS stays bounded', async () => {
    const csv = join(dir, 'big.csv');
    const rows = writeBigCsv(csv, csvMb);
    const sha = createHash('sha256');
    await pipeline(createReadStream(csv), sha);
    const { port, token } = await listening();
    const call = (method: string, body: object) => post(port, token, `/api/call/${method}`, JSON.stringify(body), 'application/json');
    expect((await call('studies.list', {})).status).toBe(200);
    const before = peakRssMb(server.pid as number);

    const uploaded = await postStream(port, token, '/api/upload/csv', 'application/octet-stream', (req) => createReadStream(csv).pipe(req));
    expect(uploaded.status).toBe(200);
    const { upload, bytes } = (uploaded.json as { value: { upload: string; bytes: number } }).value;
    expect(bytes).toBe(statSync(csv).size);

    // The scan of the whole file runs in a worker thread; a request sent after it is answered first.
    let isPreviewDone = false;
    const preview = call('datasets.previewCsv', { upload, target: 'label' }).finally(() => (isPreviewDone = true));
    const listed = await call('studies.list', {});
    expect(listed.status).toBe(200);
    expect(isPreviewDone).toBe(false);
    const previewed = await preview;
    expect(previewed.json).toMatchObject({ ok: true, value: { rowCount: rows, task: 'classification', suggestedTarget: 'label' } });

    const imported = await call('datasets.importCsv', { upload, fileName: 'big.csv' });
    const path = (imported.json as { value: { path: string } }).value.path;
    expect(path).toBe(join(dir, 'datasets', sha.digest('hex'), 'big.csv'));
    expect(existsSync(path)).toBe(true);

    const importGrowth = peakRssMb(server.pid as number) - before;

    // A spec naming the imported file is checked and a study created without loading the file on
    // the host: it is described in the worker thread, so requests are answered meanwhile here too.
    const specText = `dataset: { csv: ${JSON.stringify(path)}, target: label }\nspace: { optimizer: adam, learningRate: 0.01, batchSize: 64 }\nobjective: { metric: val_accuracy, direction: maximize }\n`;
    let isValidateDone = false;
    const validate = call('specs.validate', { text: specText }).finally(() => (isValidateDone = true));
    expect((await call('studies.list', {})).status).toBe(200);
    expect(isValidateDone).toBe(false);
    expect((await validate).json).toMatchObject({ ok: true, value: { ok: true, issues: [] } });
    const created = await call('studies.create', { spec: specText, start: false });
    // The fingerprint rule (fingerprint.ts): sha256 of the bytes, then the target and task.
    const fingerprint = createHash('sha256');
    for await (const chunk of createReadStream(csv)) fingerprint.update(chunk as Buffer);
    const expected = fingerprint.update('\0target=label\0task=classification', 'utf8').digest('hex');
    expect(created.json).toMatchObject({ ok: true, value: { spec: { dataset: { csv: path, target: 'label' } }, datasetFingerprint: expected } });

    const growth = peakRssMb(server.pid as number) - before;
    console.log(
      `${csvMb} MB CSV: server peak RSS ${before.toFixed(0)} MB before, +${importGrowth.toFixed(0)} MB after upload, scan and import, ` +
        `+${growth.toFixed(0)} MB after validate and create`,
    );
    expect(growth).toBeLessThan(maxGrowthMb);
  });
});
