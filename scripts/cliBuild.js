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

/**
 * The compiled trial worker (tfjs folded in) while the build is fresh, else null: a sweep run from
 * the sources then starts its workers in a fraction of the time tsx and tfjs's files take.
 * TUNEBENCH_FROM_SOURCE=1 forces the sources, as for the CLI.
 */
export function freshWorkerBuild(root) {
  if (process.env.TUNEBENCH_FROM_SOURCE || !freshCliBuild(root)) return null;
  const worker = join(cliBuildDir(root), 'worker.js');
  return existsSync(worker) ? worker : null;
}

/**
 * esbuild options for the trial worker with tfjs folded in: Node then neither resolves nor lexes
 * tfjs's CommonJS files for ESM named exports at each start (most of a worker's start-up). Native
 * addons and the optional native backends stay outside; `require` and `__dirname` serve the
 * bundled CommonJS.
 */
export function workerBuildOptions(root, outdir) {
  return {
    entryPoints: { worker: join(root, 'core', 'training', 'worker.ts') },
    outdir,
    bundle: true,
    // doctor, lr-find and the webgpu backend in chunks of their own, parsed only when imported.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // node-fetch: tfjs-core requires it only to fetch over http, which a worker never does.
    external: ['webgpu', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'better-sqlite3', 'pg', 'node-fetch'],
    // tfjs's package.json "sideEffects" lists omit its Node builds, whose import registers a backend.
    ignoreAnnotations: true,
    banner: {
      js: [
        "import { createRequire as createWorkerRequire } from 'node:module';",
        "import { dirname as workerDirname } from 'node:path';",
        "import { fileURLToPath as workerFilePath } from 'node:url';",
        'const require = createWorkerRequire(import.meta.url);',
        'const __filename = workerFilePath(import.meta.url);',
        'const __dirname = workerDirname(__filename);',
      ].join(' '),
    },
    sourcemap: 'linked',
    logLevel: 'warning',
  };
}
