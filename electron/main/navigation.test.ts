import { describe, expect, it, vi } from 'vitest';
import type { PreventableEvent, SessionLike, WebContentsLike } from './navigation.js';
import { denyPermissions, guardNavigation } from './navigation.js';
import { createTrustCheck } from './trust.js';

function fakeContents() {
  const listeners = new Map<string, (event: PreventableEvent, url?: string) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: WebContentsLike = {
    on: (event, listener) => void listeners.set(event, listener),
    setWindowOpenHandler: (handler) => void (openHandler = handler),
  };
  const fire = (name: string, url: string) => {
    const event = { preventDefault: vi.fn(), url };
    listeners.get(name)?.(event, url);
    return event.preventDefault.mock.calls.length > 0;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('row 32: the renderer cannot navigate or open windows', () => {
  const setup = (devUrl?: string) => {
    const fake = fakeContents();
    const shell = { openExternal: vi.fn(async () => {}) };
    const log = vi.fn();
    guardNavigation(fake.contents, shell, createTrustCheck(devUrl), log);
    return { ...fake, shell, log };
  };

  it('cancels navigation and redirects away from our origin', () => {
    const { fire, log } = setup();
    for (const url of ['https://evil.test/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'app://other/', 'javascript:alert(1)', 'about:blank']) {
      expect(fire('will-navigate', url), url).toBe(true);
      expect(fire('will-redirect', url), url).toBe(true);
    }
    expect(log).toHaveBeenCalled();
    expect(fire('will-navigate', 'app://tunebench/index.html')).toBe(false);
  });

  it('refuses webviews', () => {
    const { fire } = setup();
    expect(fire('will-attach-webview', 'https://evil.test/')).toBe(true);
  });

  it('denies window.open always; only https links go to the external browser', async () => {
    const { open, shell } = setup();
    for (const url of ['https://example.org/docs', 'http://example.org/', 'file:///bin/sh', 'smb://host/share', 'javascript:alert(1)', 'app://tunebench/index.html', 'garbage']) {
      expect(open(url), url).toEqual({ action: 'deny' });
    }
    expect(shell.openExternal.mock.calls).toEqual([['https://example.org/docs']]);
  });

  it('allows the dev server only in development', () => {
    expect(setup('http://localhost:5173').fire('will-navigate', 'http://localhost:5173/')).toBe(false);
    expect(setup().fire('will-navigate', 'http://localhost:5173/')).toBe(true);
  });

  it('denies every permission request', () => {
    let request: Parameters<SessionLike['setPermissionRequestHandler']>[0] | undefined;
    let check: (() => boolean) | undefined;
    denyPermissions({ setPermissionRequestHandler: (h) => void (request = h), setPermissionCheckHandler: (h) => void (check = h) });
    const callback = vi.fn();
    request?.({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(check?.()).toBe(false);
  });
});
