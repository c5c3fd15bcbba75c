import { appHost, appScheme } from './appProtocol.js';

/**
 * Which frame URLs may call the API and may be navigated to: our app:// origin, and in
 * development the electron-vite dev server's origin. URL.origin is "null" for custom schemes,
 * so scheme and host are compared directly.
 */
export function createTrustCheck(devUrl?: string): (url: string | undefined) => boolean {
  const devOrigin = devUrl ? new URL(devUrl).origin : undefined;
  return (url) => {
    if (!url) return false;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.protocol === `${appScheme}:`) return parsed.host === appHost && parsed.username === '' && parsed.password === '';
    return devOrigin !== undefined && parsed.origin === devOrigin;
  };
}
