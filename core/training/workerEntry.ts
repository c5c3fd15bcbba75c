import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The worker script beside this module, with this module's own extension: worker.ts when running
 * from source (fork it with execArgv ['--import', 'tsx']), worker.js from a build. A bundler that
 * folds core/ into one file must emit worker.ts as its own entry and pass that path instead.
 */
export function workerEntryPath(): string {
  const self = fileURLToPath(import.meta.url);
  return fileURLToPath(new URL(`./worker${extname(self)}`, import.meta.url));
}
