import { realpathSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';

export type StaticPathResult = { ok: true; file: string } | { ok: false; status: 400 | 404 };

/**
 * Maps a raw (still percent-encoded) URL path to a file under `root`, or refuses it.
 * Shared by the web host and Electron's app:// handler. Decodes exactly once and refuses
 * anything that could mean a different path after a second decode or on another OS
 * (`%252e`, backslashes, NUL, dot segments), then checks containment after resolving, so
 * MLflow-style traversals (`../`, `%2e%2e`, `..%5c`) never escape the root. An existing file is
 * then resolved through its symlinks and must still lie under the root's real path, so a link
 * planted in the assets (`assets/etc -> /etc`) is refused; the real path is what callers read.
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
  if (!isInside(base, file)) return { ok: false, status: 400 };
  const real = realPathOf(file);
  if (real === null) return { ok: true, file }; // missing: the caller answers 404
  const realBase = realPathOf(base) ?? base;
  if (!isInside(realBase, real)) return { ok: false, status: 404 };
  return { ok: true, file: real };
}

function isInside(base: string, file: string): boolean {
  return file === base || file.startsWith(base + sep);
}

function realPathOf(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
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
