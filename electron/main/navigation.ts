/** The parts of webContents, shell and session the guards use (injected so tests need no Electron). */
export interface PreventableEvent {
  preventDefault(): void;
  url?: string;
}
export interface WebContentsLike {
  on(event: 'will-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: PreventableEvent, url?: string) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}
export interface ShellLike {
  openExternal(url: string): Promise<void>;
}
export interface SessionLike {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: () => boolean): void;
}

function isHttps(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * The renderer stays on our origin: navigation and redirects elsewhere are cancelled, webviews
 * are refused, and window.open is always denied; an https link opens in the user's browser
 * instead (never file:, javascript:, http: or custom schemes, which could run local programs).
 */
export function guardNavigation(
  contents: WebContentsLike,
  shell: ShellLike,
  isAllowedUrl: (url: string | undefined) => boolean,
  log: (message: string) => void = (message) => console.warn(message),
): void {
  const block = (kind: string) => (event: PreventableEvent, url?: string) => {
    const target = event.url ?? url;
    if (isAllowedUrl(target)) return;
    event.preventDefault();
    log(`blocked ${kind} to ${JSON.stringify(target ?? null)}`);
  };
  contents.on('will-navigate', block('navigation'));
  contents.on('will-redirect', block('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isHttps(url)) void shell.openExternal(url).catch(() => {});
    else log(`blocked window.open of ${JSON.stringify(url)}`);
    return { action: 'deny' };
  });
}

/** No camera, microphone, notifications, geolocation, ...: the dashboard needs none. */
export function denyPermissions(session: SessionLike): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
