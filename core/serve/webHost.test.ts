import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeApi } from '../../tests/support/fakeApi.js';
import { createWebHostApp } from './webHost.js';
import { cookieNameFor } from './guards.js';

const token = 'test-token-0123456789abcdef0123456789abcdef';
const port = 4321;
const host = `127.0.0.1:${port}`;
const cookie = `${cookieNameFor(token)}=${token}`;
const fake = createFakeApi();
let dir: string;
let app: FastifyInstance;
const refusals: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tb-webhost-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Tunebench</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'SECRET-OUTSIDE-ROOT');
  app = await createWebHostApp({
    api: fake.api,
    token,
    currentPort: () => port,
    rendererDir: join(dir, 'renderer'),
    log: (line) => refusals.push(line),
  });
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'HEAD';
const call = (method: string, body: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: `/api/call/${method}`, headers: { host, cookie, ...headers }, payload: body as object });

function expectNoCors(response: LightMyRequestResponse) {
  expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
}

describe('row 33: foreign Host header (DNS rebinding)', () => {
  const methods: Method[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
  const hosts = ['evil.test', 'evil.test:4321', '127.0.0.1:9999', 'localhost.evil.test:4321', '127.0.0.1.evil.test:4321', '0.0.0.0:4321'];
  for (const method of methods) {
    it(`${method} is refused with 403 on every path for a foreign Host`, async () => {
      for (const badHost of hosts) {
        for (const url of ['/', '/index.html', '/api/call/studies.list', '/api/events', '/nope']) {
          const response = await app.inject({ method, url, headers: { host: badHost, cookie } });
          expect(response.statusCode, `${method} ${url} Host ${badHost}`).toBe(403);
        }
      }
      expect(fake.calls.length).toBe(0);
    });
  }
  it('a missing Host header is refused', async () => {
    const response = await app.inject({ method: 'GET', url: '/', headers: { host: '' } });
    expect(response.statusCode).toBe(403);
  });
  it('127.0.0.1:PORT and localhost:PORT are accepted', async () => {
    for (const good of [host, `localhost:${port}`, `LOCALHOST:${port}`]) {
      const response = await app.inject({ method: 'GET', url: '/', headers: { host: good } });
      expect(response.statusCode).toBe(200);
    }
  });
});

describe('row 34: missing or wrong token', () => {
  it('refuses /api without a token, with a wrong cookie or a wrong bearer (401)', async () => {
    const cases: Record<string, string>[] = [
      {},
      { cookie: `${cookieNameFor(token)}=wrong` },
      { cookie: `${cookieNameFor(token)}=${token}x` },
      { cookie: `other=${token}` },
      { authorization: 'Bearer wrong' },
      { authorization: `Basic ${token}` },
      { authorization: `Bearer ${token.slice(0, -1)}`, cookie },
    ];
    for (const headers of cases) {
      const response = await app.inject({ method: 'POST', url: '/api/call/studies.list', headers: { host, ...headers }, payload: {} });
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expectNoCors(response);
    }
    const unknownRoute = await app.inject({ method: 'DELETE', url: '/api/anything', headers: { host } });
    expect(unknownRoute.statusCode).toBe(401);
    expect(fake.calls.length).toBe(0);
  });
  it('accepts the cookie and the bearer token', async () => {
    expect((await call('studies.list', {})).statusCode).toBe(200);
    const bearer = await app.inject({
      method: 'POST',
      url: '/api/call/studies.list',
      headers: { host, authorization: `Bearer ${token}` },
      payload: {},
    });
    expect(bearer.statusCode).toBe(200);
    const twoCookies = await call('studies.list', {}, { cookie: `${cookieNameFor(token)}=stale; ${cookieNameFor(token)}=${token}` });
    expect(twoCookies.statusCode).toBe(200);
  });
});

describe('row 35: cross-origin requests', () => {
  it('refuses a POST whose Origin is not ours (403) and never sends CORS headers', async () => {
    for (const origin of ['http://evil.test', 'null', `http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, `http://localhost:${port}`]) {
      const response = await call('studies.list', {}, { origin });
      expect(response.statusCode, origin).toBe(403);
      expectNoCors(response);
    }
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/call/studies.list',
      headers: { host, origin: 'http://evil.test', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(403);
    expectNoCors(preflight);
  });
  it('accepts a same-origin POST', async () => {
    const response = await call('studies.list', {}, { origin: `http://${host}` });
    expect(response.statusCode).toBe(200);
    expectNoCors(response);
  });
});

describe('row 38: the token moves from the URL to an HttpOnly cookie', () => {
  it('sets the cookie and redirects to the URL without the token', async () => {
    const response = await app.inject({ method: 'GET', url: `/?token=${token}`, headers: { host } });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/');
    expect(response.headers['set-cookie']).toBe(`${cookieNameFor(token)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cache-control']).toBe('no-store');
  });
  it('keeps other query parameters and never redirects off-site', async () => {
    const kept = await app.inject({ method: 'GET', url: `/?view=compare&token=${token}`, headers: { host } });
    expect(kept.headers.location).toBe('/?view=compare');
    const sneaky = await app.inject({ method: 'GET', url: `//evil.test/?token=${token}`, headers: { host } });
    expect(String(sneaky.headers.location ?? '')).not.toMatch(/^\/\//);
  });
  it('a wrong token in the URL sets no cookie', async () => {
    const response = await app.inject({ method: 'GET', url: '/?token=nope', headers: { host } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});

describe('static files', () => {
  it('serves the renderer with a strict CSP and nosniff', async () => {
    const response = await app.inject({ method: 'GET', url: '/', headers: { host } });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<title>Tunebench</title>');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    const script = await app.inject({ method: 'GET', url: '/assets/app.js', headers: { host } });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
  });
  it('says to run npm run build when the renderer is missing', async () => {
    const bare = await createWebHostApp({ api: fake.api, token, currentPort: () => port, rendererDir: join(dir, 'missing') });
    const response = await bare.inject({ method: 'GET', url: '/', headers: { host } });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/text\/plain/);
    expect(response.body).toContain('npm run build');
    await bare.close();
  });
});

describe('API calls through the dispatcher', () => {
  it('round-trips a call with the schema defaults applied', async () => {
    fake.calls.length = 0;
    const response = await call('trials.page', { study: 3 });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ ok: true, value: { total: 0, rows: [] } });
    expect(fake.calls).toEqual([
      { method: 'trials.page', request: { study: 3, offset: 0, limit: 100, sort: 'value', valueMode: 'best' } },
    ]);
  });
  it('answers bad input with 400 and the issue paths', async () => {
    const response = await call('trials.page', { study: 3, limit: 5000, bogus: true });
    expect(response.statusCode).toBe(400);
    const body = response.json() as { ok: false; error: { code: string; issues: { where: string }[] } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('ARGUMENT_INVALID');
    expect(body.error.issues.map((issue) => issue.where)).toEqual(expect.arrayContaining(['/limit', '/']));
    expect((await call('no.such', {})).statusCode).toBe(400);
  });
  it('maps NOT_FOUND to 404 and other failures to 500', async () => {
    const missing = await call('studies.get', { study: 404 });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const broken = await call('studies.get', { study: 500 });
    expect(broken.statusCode).toBe(500);
    expect(broken.json()).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
  it('answers malformed bodies in the ApiResponse shape', async () => {
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/call/studies.list',
      headers: { host, cookie, 'content-type': 'application/json' },
      payload: '{"oops',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ ok: false, error: { code: 'ARGUMENT_INVALID' } });
    const plain = await app.inject({
      method: 'POST',
      url: '/api/call/studies.list',
      headers: { host, cookie, 'content-type': 'text/plain' },
      payload: '{}',
    });
    expect(plain.statusCode).toBe(415);
  });
  it('allows a big body only for CSV import', async () => {
    const big = 'a,b\n' + '1,2\n'.repeat(1_500_000); // 6 MB
    expect((await call('specs.validate', { text: big })).statusCode).toBe(413);
    const imported = await call('datasets.importCsv', { text: big, fileName: 'big.csv' });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toEqual({ ok: true, value: { path: `/tmp/big.csv#${big.length}` } });
  });
  it('logged what it refused', () => {
    expect(refusals.some((line) => line.includes('Host'))).toBe(true);
    expect(refusals.some((line) => line.includes('Origin'))).toBe(true);
  });
});
