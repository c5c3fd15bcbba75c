import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Constant-time token check. Both sides are hashed first so the comparison also takes the
 * same time whatever the candidate's length (timingSafeEqual needs equal lengths).
 */
export function tokenMatches(expected: string, candidate: string | undefined): boolean {
  if (candidate === undefined || candidate === '') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(candidate).digest();
  return timingSafeEqual(a, b);
}

/** Every value of the named cookie (a browser may send the same name twice). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (!header) return [];
  const values: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    values.push(part.slice(eq + 1).trim());
  }
  return values;
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Host-header allow list against DNS rebinding: a page on evil.test that rebinds its name to
 * 127.0.0.1 still sends `Host: evil.test`. Only our loopback names with our exact port pass;
 * with `insecure` (bound to 0.0.0.0) IP literals also pass, since rebinding needs a name.
 */
export function isAllowedHost(host: string | undefined, port: number, insecure: boolean): boolean {
  if (!host) return false;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+):(\d+)$/i.exec(host);
  if (!match || Number(match[2]) !== port) return false;
  const name = (match[1] ?? '').toLowerCase();
  if (name === '127.0.0.1' || name === 'localhost') return true;
  return insecure && isIP(name.replace(/^\[|\]$/g, '')) !== 0;
}

/** An Origin header, when present, must be exactly the origin the request was sent to. */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  return host !== undefined && origin.toLowerCase() === `http://${host.toLowerCase()}`;
}
