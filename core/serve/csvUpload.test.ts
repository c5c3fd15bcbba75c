import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes } from '../../tests/support/csvFixtures.js';
import { fixtureSpawner } from '../../tests/support/engine.js';
import { tempStore } from '../../tests/support/tempStore.js';
import { receiveUpload } from '../data/csvUploads.js';
import { contentHash } from '../data/keepByContent.js';
import { createTunebenchService, type TunebenchService } from '../engine/service.js';
import { cookieNameFor } from './guards.js';
import { createWebHostApp } from './webHost.js';

const token = 'upload-token-0123456789abcdef0123456789abcdef';
const port = 4322;
const host = `127.0.0.1:${port}`;
const cookie = `${cookieNameFor(token)}=${token}`;
let app: FastifyInstance;
let service: TunebenchService;
let cleanup: () => Promise<void>;
let datasetsDir: string;

beforeAll(async () => {
  const temp = await tempStore('tb-upload-');
  datasetsDir = join(temp.dir, 'datasets');
  service = createTunebenchService({ store: temp.store, spawner: fixtureSpawner(), workDir: temp.dir, datasetsDir });
  app = await createWebHostApp({ api: service, token, currentPort: () => port, rendererDir: join(temp.dir, 'none'), uploadsDir: service.uploadsDir });
  cleanup = temp.cleanup;
});
afterAll(async () => {
  await app.close();
  await cleanup();
});

const upload = (payload: Buffer, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/upload/csv', headers: { host, cookie, 'content-type': 'application/octet-stream', ...headers }, payload });
const call = (method: string, body: object) =>
  app.inject({ method: 'POST', url: `/api/call/${method}`, headers: { host, cookie }, payload: body });
const uploadsLeft = () => (existsSync(service.uploadsDir) ? readdirSync(service.uploadsDir) : []);

describe('CSV upload route', () => {
  it('streams a file to disk; preview and import take its id, and the import moves it into place by content', async () => {
    const bytes = fixtureBytes('weather.csv');
    const sent = await upload(bytes);
    expect(sent.statusCode).toBe(200);
    const { upload: id } = (sent.json() as { value: { upload: string; bytes: number } }).value;
    expect(sent.json()).toEqual({ ok: true, value: { upload: id, bytes: bytes.length } });
    const preview = (await call('datasets.previewCsv', { upload: id, target: 'outlook', rows: 3 })).json();
    expect(preview).toMatchObject({ ok: true, value: { suggestedTarget: 'outlook', task: 'classification', rowCount: 14 } });
    const imported = await call('datasets.importCsv', { upload: id, fileName: 'my weather.csv' });
    const path = (imported.json() as { value: { path: string } }).value.path;
    expect(path).toBe(join(datasetsDir, contentHash(bytes), 'my_weather.csv'));
    expect(readFileSync(path)).toEqual(bytes);
    expect(uploadsLeft()).toEqual([]);
    // A target picked after the import is answered from the scan; the file itself was used up.
    expect((await call('datasets.previewCsv', { upload: id, target: 'temperature' })).json()).toMatchObject({ ok: true, value: { task: 'regression' } });
    expect((await call('datasets.importCsv', { upload: id, fileName: 'x.csv' })).json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('answers a bad file with the import error naming the line, and removes it', async () => {
    const sent = (await upload(fixtureBytes('ragged.csv'))).json() as { value: { upload: string } };
    const preview = await call('datasets.previewCsv', { upload: sent.value.upload });
    expect(preview.statusCode).toBe(400);
    expect(preview.json()).toMatchObject({ ok: false, error: { code: 'CSV_SHAPE', message: expect.stringContaining('the row on line 4 has 2 columns') } });
    expect(uploadsLeft()).toEqual([]);
  });

  it('runs the same guard as every /api route: no token, a foreign Origin or Host writes nothing', async () => {
    const bytes = fixtureBytes('weather.csv');
    expect((await upload(bytes, { cookie: '' })).statusCode).toBe(401);
    expect((await upload(bytes, { origin: 'http://evil.test' })).statusCode).toBe(403);
    expect((await upload(bytes, { host: 'evil.test' })).statusCode).toBe(403);
    expect((await upload(bytes, { 'content-type': 'text/plain' })).statusCode).toBe(415);
    expect((await upload(bytes, { 'content-length': String(300 * 1024 * 1024) })).statusCode).toBe(413);
    expect(uploadsLeft()).toEqual([]);
  });

  it('refuses an id that is not one, or text and an upload together', async () => {
    expect((await call('datasets.previewCsv', { upload: '../../etc/passwd' })).statusCode).toBe(400);
    expect((await call('datasets.previewCsv', { upload: 'a'.repeat(32), text: 'a,b\n1,2\n' })).statusCode).toBe(400);
    expect((await call('datasets.importCsv', { fileName: 'x.csv' })).statusCode).toBe(400);
  });

  it('stops writing past the size cap and leaves no partial file', async () => {
    const body = Readable.from((function* () {
      for (let i = 0; i < 64; i++) yield Buffer.alloc(1024, 97);
    })());
    await expect(receiveUpload(body, service.uploadsDir, 10_000)).rejects.toMatchObject({ code: 'CSV_SHAPE' });
    expect(uploadsLeft()).toEqual([]);
  });
});
