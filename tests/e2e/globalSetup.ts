// Builds the renderer when out/renderer is missing or stale, so `npm test` works on a fresh clone
// and CI proves that `electron-vite build` succeeds.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './server.js';

/** Files that never reach the bundle: editing them needs no rebuild. */
const notBundled = /\.(test\.ts|md)$/;

/** Newest modification time of the bundled files under `dir` (0 when it does not exist). */
function newestMtime(dir: string): number {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.isFile() && !notBundled.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(join(repoRoot, 'out', 'renderer', 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
}

export function rendererIsStale(): boolean {
  // The renderer bundles core/api (schemas and types) too, so a contract change means a rebuild.
  const sources = Math.max(newestMtime(join(repoRoot, 'renderer')), newestMtime(join(repoRoot, 'core', 'api')));
  return builtAt() < sources;
}

export default function setup(): void {
  if (!rendererIsStale()) return;
  process.stderr.write('e2e: building the renderer (npx electron-vite build)…\n');
  const started = Date.now();
  const result = spawnSync('npx', ['electron-vite', 'build'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' },
    maxBuffer: 64 * 1024 * 1024,
    timeout: 600_000,
  });
  if (result.status !== 0 || builtAt() === 0) {
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim();
    const reason = result.error ? result.error.message : `exit code ${String(result.status)}${result.signal ? `, signal ${result.signal}` : ''}`;
    throw new Error(`e2e: \`npx electron-vite build\` failed (${reason}):\n${output}`);
  }
  process.stderr.write(`e2e: renderer built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
