#!/usr/bin/env node
// Starts from the compiled CLI (.build/cli, made by `npm install` and `npm test`) while it is newer
// than every source; otherwise from the TypeScript sources through tsx, so a fresh clone or an
// edited source never runs a stale build. TUNEBENCH_FROM_SOURCE=1 forces the sources.
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freshCliBuild } from '../scripts/cliBuild.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const built = process.env.TUNEBENCH_FROM_SOURCE ? null : freshCliBuild(root);
if (built) {
  if (process.argv.includes('--verbose')) process.setSourceMapsEnabled(true);
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../core/cli/main.ts');
}
