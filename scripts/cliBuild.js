// Where the compiled CLI lives, what it is compiled from, and whether it may run; shared by the
// build (scripts/buildCli.js) and the bin (bin/tunebench.js).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newestMtime } from './freshness.js';

export const cliBuildDir = (root) => join(root, '.build', 'cli');

/** Everything whose change makes the compiled CLI stale. */
export const cliSources = (root) => [join(root, 'core'), join(root, 'scripts', 'buildCli.js')];

export const newestCliSource = (root) => Math.max(...cliSources(root).map(newestMtime));

/** The compiled entry when it was built from the sources as they are now, else null (run from source). */
export function freshCliBuild(root) {
  const dir = cliBuildDir(root);
  const entry = join(dir, 'main.js');
  if (!existsSync(entry)) return null;
  try {
    const { sourcesNewest } = JSON.parse(readFileSync(join(dir, 'stamp.json'), 'utf8'));
    return newestCliSource(root) <= sourcesNewest ? entry : null;
  } catch {
    return null;
  }
}
