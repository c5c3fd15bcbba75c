import { extname, resolve, sep } from 'node:path';

export type StaticPathResult = { ok: true; file: string } | { ok: false; status: 400 | 404 };

/**
 * Maps a raw (still percent-encoded) URL path to a file under `root`, or refuses it.
 * Shared by the web host and Electron's app:// handler. Decodes exactly once and refuses
 * anything that could mean a different path after a second decode or on another OS
 * (`%252e`, backslashes, NUL, dot segments), then checks containment after resolving, so
 * MLflow-style traversals (`../`, `%2e%2e`, `..%5c`) never escape the root.
 */
export function resolveStaticPath(root: string, rawPath: string): StaticPathResult {
  if (rawPath.includes('\\') || /%5c/i.test(rawPath)) return { ok: false, status: 400 };
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400 };
  }
  // After one decode a '%' can only come from double encoding; our build emits no such names.
  if (/[%\\\0]/.test(decoded)) return { ok: false, status: 400 };
  const segments = decoded.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) return { ok: false, status: 400 };
  const base = resolve(root);
  const file = resolve(base, ...(segments.length === 0 ? ['index.html'] : segments));
  if (file !== base && !file.startsWith(base + sep)) return { ok: false, status: 400 };
  return { ok: true, file };
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** A fixed type per extension; unknown files are opaque bytes (never sniffed, see nosniff). */
export function contentTypeFor(file: string): string {
  return contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
}
