import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';

vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:crypto')>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const { bearerToken, cookieValues, isAllowedHost, isSameOrigin, newToken, tokenMatches } = await import('./auth.js');

describe('row 34: token comparison', () => {
  it('compares in constant time, whatever the candidate length', () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    const token = newToken();
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, token + 'x')).toBe(false);
    expect(tokenMatches(token, 'x')).toBe(false);
    // Each comparison went through timingSafeEqual on equal-length digests.
    expect(spy).toHaveBeenCalledTimes(3);
    for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
    expect(tokenMatches(token, undefined)).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
  });
  it('makes 32-byte random tokens', () => {
    const a = newToken();
    expect(Buffer.from(a, 'base64url').length).toBe(32);
    expect(a).not.toBe(newToken());
  });
  it('parses cookies and bearer headers', () => {
    expect(cookieValues('a=1; tb_token=x; tb_token=y', 'tb_token')).toEqual(['x', 'y']);
    expect(cookieValues(undefined, 'tb_token')).toEqual([]);
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
  });
});

describe('rows 33/35: Host and Origin', () => {
  it('allows only loopback names on our port; IP literals only when insecure', () => {
    expect(isAllowedHost('127.0.0.1:80', 80, false)).toBe(true);
    expect(isAllowedHost('localhost:80', 80, false)).toBe(true);
    expect(isAllowedHost('localhost', 80, false)).toBe(false);
    expect(isAllowedHost('192.168.1.5:80', 80, false)).toBe(false);
    expect(isAllowedHost('192.168.1.5:80', 80, true)).toBe(true);
    expect(isAllowedHost('[::1]:80', 80, true)).toBe(true);
    expect(isAllowedHost('evil.test:80', 80, true)).toBe(false);
  });
  it('an Origin must equal http://<Host>', () => {
    expect(isSameOrigin(undefined, '127.0.0.1:80')).toBe(true);
    expect(isSameOrigin('http://127.0.0.1:80', '127.0.0.1:80')).toBe(true);
    expect(isSameOrigin('http://localhost:80', '127.0.0.1:80')).toBe(false);
    expect(isSameOrigin('null', '127.0.0.1:80')).toBe(false);
  });
});
