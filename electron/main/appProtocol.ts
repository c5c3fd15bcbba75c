import { readFile } from 'node:fs/promises';
import { baseSecurityHeaders, cspHeader } from '../../core/serve/securityHeaders.js';
import { contentTypeFor, resolveStaticPath } from '../../core/serve/staticPath.js';

export const appScheme = 'app';
export const appHost = 'tunebench';
export const appOrigin = `${appScheme}://${appHost}`;
export const appIndexUrl = `${appOrigin}/index.html`;

/**
 * For protocol.registerSchemesAsPrivileged: a standard, secure scheme so the renderer has a
 * real origin (CSP 'self', sender checks) instead of file://. No bypassCSP.
 */
export const appSchemePrivileges = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
};

/** The renderer's CSP in Electron: as the web host's, with no WebSocket (IPC carries events). */
export function appCsp(): string {
  return cspHeader();
}

type ReadFile = (path: string) => Promise<Uint8Array>;

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...baseSecurityHeaders } });
}

/**
 * The protocol.handle handler for app://tunebench/: files from the built renderer, with the
 * traversal checks the web host uses, our CSP and security headers.
 */
export function createAppProtocolHandler(rendererDir: string, read: ReadFile = readFile): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method not allowed');
    const prefix = `${appOrigin}/`;
    if (!request.url.toLowerCase().startsWith(prefix)) return text(404, 'Not found');
    const rawPath = '/' + (request.url.slice(prefix.length).split(/[?#]/)[0] ?? '');
    const checked = resolveStaticPath(rendererDir, rawPath);
    if (!checked.ok) return text(checked.status, 'Bad path');
    let body: Uint8Array;
    try {
      body = await read(checked.file);
    } catch {
      return text(404, 'Not found');
    }
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: {
        'content-type': contentTypeFor(checked.file),
        'content-security-policy': appCsp(),
        'cache-control': 'no-cache',
        ...baseSecurityHeaders,
      },
    });
  };
}
