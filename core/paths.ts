import { existsSync, readFileSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding tunebench's package.json: the repo root from source (core/...), from the
 * electron-vite bundle (out/main/...) and inside a packaged app.asar alike.
 */
export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'tunebench') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('tunebench package root not found above ' + import.meta.url);
    dir = parent;
  }
}

export function appVersion(): string {
  const pkg = JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Migrations, resources and the built renderer, which sit beside package.json. */
export function appPath(...parts: string[]): string {
  return join(appRoot(), ...parts);
}

/** Where the default database lives: TUNEBENCH_HOME, else the platform's per-user data folder. */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TUNEBENCH_HOME) return resolve(env.TUNEBENCH_HOME);
  switch (platform()) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Tunebench');
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Tunebench');
    default:
      return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'tunebench');
  }
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataHome(env), 'tunebench.db');
}
