import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeApi } from '../../tests/support/fakeApi.js';
import { resolveStaticPath } from './staticPath.js';
import type { WebHost } from './webHost.js';
import { createWebHostApp, startWebHost } from './webHost.js';
import { cookieNameFor } from './guards.js';

// Row 37 (MLflow path-traversal CVEs): none of these may ever serve a file outside the root.
const attacks = [
  '/../secret.txt',
  '/../../secret.txt',
  '/assets/../../secret.txt',
  '/%2e%2e/secret.txt',
  '/%2E%2E/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/..%2fsecret.txt',
  '/assets/..%2f..%2fsecret.txt',
  '/%252e%252e/secret.txt',
  '/%252e%252e%252fsecret.txt',
  '/..\\secret.txt',
  '/..%5csecret.txt',
  '/..%5Csecret.txt',
  '/assets\\..\\..\\secret.txt',
  '/.%2e/secret.txt',
  '/%c0%ae%c0%ae/secret.txt',
  '/%2e%2e%00/secret.txt',
  '/assets/%2e%2e/%2e%2e/secret.txt',
  '/%2fsecret.txt',
  '/' + '../'.repeat(20) + 'etc/passwd',
];

let dir: string;
let root: string;
let app: FastifyInstance;
let host: WebHost;
const token = 'traversal-token';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tb-traversal-'));
  root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>ok</title>');
  writeFileSync(join(root, 'assets', 'app.js'), '1');
  writeFileSync(join(dir, 'secret.txt'), 'SECRET-OUTSIDE-ROOT');
  // Links planted in the assets: out to /etc and the secret, and one that stays inside.
  symlinkSync('/etc', join(root, 'assets', 'etc'));
  symlinkSync(join(dir, 'secret.txt'), join(root, 'assets', 'secret.txt'));
  symlinkSync(join(root, 'assets', 'app.js'), join(root, 'assets', 'alias.js'));
  const fake = createFakeApi();
  app = await createWebHostApp({ api: fake.api, token, currentPort: () => 4321, rendererDir: root });
  host = await startWebHost({ api: fake.api, token, rendererDir: root });
});
afterAll(async () => {
  await app.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends the request line byte for byte, so no client library normalises the path first. */
function rawGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookieNameFor(token)}=${token}\r\nConnection: close\r\n\r\n`);
  });
}

describe('row 37: path traversal', () => {
  it('resolveStaticPath refuses every attack and keeps normal paths', () => {
    for (const attack of attacks) {
      const result = resolveStaticPath(root, attack);
      if (result.ok) expect(result.file.startsWith(root + '/'), attack).toBe(true);
      expect(result.ok, attack).toBe(attack === '/%2fsecret.txt');
    }
    expect(resolveStaticPath(root, '/')).toEqual({ ok: true, file: join(root, 'index.html') });
    expect(resolveStaticPath(root, '/assets/app.js')).toEqual({ ok: true, file: join(root, 'assets', 'app.js') });
    expect(resolveStaticPath(root, '/assets/my%20file.js')).toEqual({ ok: true, file: join(root, 'assets', 'my file.js') });
  });

  it('inject: 400/404 and never the secret', async () => {
    for (const url of attacks) {
      const response = await app.inject({ method: 'GET', url, headers: { host: '127.0.0.1:4321' } });
      expect([400, 404], url).toContain(response.statusCode);
      expect(response.body, url).not.toContain('SECRET');
      expect(response.body, url).not.toContain('root:');
    }
  });

  it('raw HTTP on a real socket: 400/404 and never the secret', async () => {
    for (const path of attacks) {
      const response = await rawGet(host.port, path);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1]);
      expect([400, 404], path).toContain(status);
      expect(response, path).not.toContain('SECRET');
    }
    expect(await rawGet(host.port, '/assets/app.js')).toMatch(/^HTTP\/1\.1 200/);
  });
});

describe('#13: symlinks out of the renderer folder', () => {
  const escapes = ['/assets/etc/passwd', '/assets/etc/hostname', '/assets/secret.txt'];

  it('resolveStaticPath refuses a link out and resolves a link inside to its real file', () => {
    for (const path of escapes) expect(resolveStaticPath(root, path).ok, path).toBe(false);
    expect(resolveStaticPath(root, '/assets/alias.js')).toEqual({ ok: true, file: join(root, 'assets', 'app.js') });
  });

  it('the web host never serves through a link out, on a real socket', async () => {
    for (const path of escapes) {
      const response = await rawGet(host.port, path);
      expect(response, path).not.toMatch(/^HTTP\/1\.1 200/);
      expect(response, path).not.toContain('SECRET');
      expect(response, path).not.toContain('root:');
    }
    expect(await rawGet(host.port, '/assets/alias.js')).toMatch(/^HTTP\/1\.1 200/);
  });
});
