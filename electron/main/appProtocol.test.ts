import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appCsp, appSchemePrivileges, createAppProtocolHandler } from './appProtocol.js';

let dir: string;
let handle: (request: Request) => Promise<Response>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tb-app-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'index.js'), 'export {}');
  writeFileSync(join(dir, 'secret.txt'), 'SECRET');
  symlinkSync('/etc', join(dir, 'renderer', 'assets', 'etc'));
  symlinkSync(join(dir, 'secret.txt'), join(dir, 'renderer', 'assets', 'secret.txt'));
  handle = createAppProtocolHandler(join(dir, 'renderer'), readFile);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('has a strict CSP: no inline or remote script, no objects, no framing', () => {
    const csp = appCsp();
    expect(csp).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const scriptSrc = csp.split('; ').find((part) => part.startsWith('script-src'));
    expect(scriptSrc).toBe("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|\*|http:|https:/);
  });

  it('registers a standard secure scheme without bypassing CSP', () => {
    expect(appSchemePrivileges).toMatchObject({ scheme: 'app', privileges: { standard: true, secure: true } });
    expect(appSchemePrivileges.privileges).not.toHaveProperty('bypassCSP');
  });

  it('serves renderer files with the CSP and security headers', async () => {
    const index = await handle(new Request('app://tunebench/'));
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<title>app</title>');
    expect(index.headers.get('content-security-policy')).toBe(appCsp());
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await handle(new Request('app://tunebench/assets/index.js?v=1'));
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });

  it('never serves outside the renderer directory', async () => {
    for (const path of ['../secret.txt', '%2e%2e/secret.txt', '%252e%252e/secret.txt', '..%5csecret.txt', 'assets/..%2f..%2fsecret.txt']) {
      const response = await handle(new Request(`app://tunebench/${path}`));
      expect([400, 404], path).toContain(response.status);
      expect(await response.text()).not.toContain('SECRET');
    }
    for (const path of ['assets/etc/passwd', 'assets/secret.txt']) {
      const response = await handle(new Request(`app://tunebench/${path}`));
      expect(response.status, path).not.toBe(200);
      const body = await response.text();
      expect(body, path).not.toContain('SECRET');
      expect(body, path).not.toContain('root:');
    }
    expect((await handle(new Request('app://other/index.html'))).status).toBe(404);
    expect((await handle(new Request('app://tunebench/missing.js'))).status).toBe(404);
    expect((await handle(new Request('app://tunebench/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});
