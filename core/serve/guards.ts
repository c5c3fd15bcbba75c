import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tokenCookie } from '../api/http.js';
import { bearerToken, cookieValues, isAllowedHost, isSameOrigin, tokenMatches } from './auth.js';
import { resolveStaticPath } from './staticPath.js';

export interface GuardOptions {
  token: string;
  port: () => number;
  insecure: boolean;
  rendererDir: string;
  log: (message: string) => void;
}

function splitUrl(url: string): { path: string; query: string } {
  const at = url.indexOf('?');
  return at < 0 ? { path: url, query: '' } : { path: url.slice(0, at), query: url.slice(at + 1) };
}

function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(message);
}

/**
 * Cookies ignore the port, so two hosts on one machine would overwrite each other's `tb_token`;
 * the name carries a digest of this host's token to keep them apart.
 */
export function cookieNameFor(token: string): string {
  return `${tokenCookie}_${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
}

export function isAuthorised(request: FastifyRequest, token: string): boolean {
  const bearer = bearerToken(request.headers.authorization);
  if (bearer !== undefined) return tokenMatches(token, bearer);
  return cookieValues(request.headers.cookie, cookieNameFor(token)).some((value) => tokenMatches(token, value));
}

/**
 * The one onRequest guard, run before routing decisions for every request including 404s and
 * WebSocket upgrades, in this order: Host (DNS rebinding) -> Origin (CSRF, cross-site WS)
 * -> token (for /api) or path safety and the token-to-cookie swap (for static files).
 */
export function createRequestGuard(options: GuardOptions) {
  const { token, log } = options;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const { host, origin } = request.headers;
    const { path, query } = splitUrl(request.url);
    if (!isAllowedHost(host, options.port(), options.insecure)) {
      log(`refused ${request.method} ${path}: Host ${JSON.stringify(host ?? null)}`);
      await refuse(reply, 403, 'Forbidden: unexpected Host header.');
      return;
    }
    const isApi = path === '/api' || path.startsWith('/api/');
    const isUnsafeMethod = request.method !== 'GET' && request.method !== 'HEAD';
    if ((isApi || isUnsafeMethod) && !isSameOrigin(origin, host)) {
      log(`refused ${request.method} ${path}: Origin ${JSON.stringify(origin)}`);
      await refuse(reply, 403, 'Forbidden: cross-origin request.');
      return;
    }
    if (isApi) {
      if (!isAuthorised(request, token)) {
        log(`refused ${request.method} ${path}: no valid token`);
        await refuse(reply, 401, 'Unauthorised: open the link that `tunebench serve` printed.');
      }
      return;
    }
    const checked = resolveStaticPath(options.rendererDir, path);
    if (!checked.ok) {
      log(`refused ${request.method} ${path}: unsafe path`);
      await refuse(reply, checked.status, 'Bad path.');
      return;
    }
    const params = new URLSearchParams(query);
    const given = params.get('token');
    if (given === null) return;
    if (!tokenMatches(token, given)) {
      log(`refused ${path}: wrong token in URL`);
      await refuse(reply, 401, 'Unauthorised: wrong token. Open the link that `tunebench serve` printed.');
      return;
    }
    params.delete('token');
    const rest = params.toString();
    // Leading slashes collapsed so the Location can never be protocol-relative (//evil.test).
    const location = '/' + path.replace(/^\/+/, '') + (rest ? `?${rest}` : '');
    await reply
      .code(302)
      .header('set-cookie', `${cookieNameFor(token)}=${token}; HttpOnly; SameSite=Strict; Path=/`)
      .header('cache-control', 'no-store')
      .header('location', location)
      .send();
  };
}
