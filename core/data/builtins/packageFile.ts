import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Not named `require`: electron-vite's ESM shim declares that name in every bundled chunk.
const resolveFromHere = createRequire(import.meta.url);
const roots = new Map<string, string>();

/**
 * Absolute path of a data file inside an installed package. Resolves the package's entry point
 * and walks up to its package.json, because an `exports` map (vega-datasets) hides data files
 * from `require.resolve('pkg/data/...')`.
 */
export function packageFile(pkg: string, ...parts: string[]): string {
  let root = roots.get(pkg);
  if (!root) {
    root = findRoot(pkg, dirname(resolveFromHere.resolve(pkg)));
    roots.set(pkg, root);
  }
  return join(root, ...parts);
}

function findRoot(pkg: string, start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === pkg) return dir;
    }
    if (dirname(dir) === dir) throw new Error(`package ${pkg} has no package.json above ${start}`);
  }
}
