#!/usr/bin/env node
// Compiles the CLI and the trial worker to plain JS in .build/cli (gitignored) so the installed
// `tunebench` and its workers start without compiling TypeScript. Run by `npm install` (prepare) and before
// `npm test`; bin/tunebench.js uses the build only while it is newer than every source.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { cliBuildDir, newestCliSource, workerBuildOptions } from './cliBuild.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const target = cliBuildDir(root);
// Taken before compiling: a source saved during the build makes the result stale, never fresh.
const sourcesNewest = newestCliSource(root);
// Built beside the target and renamed into place, so a concurrent start never sees half a build.
const staging = `${target}.${process.pid}`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
await build({
  entryPoints: {
    main: join(root, 'core/cli/main.ts'),
    // The CSV scan's worker thread (core/data/csvScanThread.ts finds it beside the bundle).
    csvScanWorker: join(root, 'core/data/csvScanWorker.ts'),
  },
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
await build(workerBuildOptions(root, staging));
writeFileSync(join(staging, 'stamp.json'), JSON.stringify({ sourcesNewest }) + '\n');
rmSync(target, { recursive: true, force: true });
try {
  renameSync(staging, target);
} catch (error) {
  // Another build won the rename; its output is as good as ours.
  rmSync(staging, { recursive: true, force: true });
  if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
}
