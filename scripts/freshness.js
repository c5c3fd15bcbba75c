// One rule for "is a build older than its sources", shared by `npm start` and bin/tunebench.js.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest modification time under a path (tests, dot-folders and node_modules left out); 0 when missing. */
export function newestMtime(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return /\.test\.ts$/.test(path) ? 0 : stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}
