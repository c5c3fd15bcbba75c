#!/usr/bin/env node
// `npm start`: build when out/ is missing or stale, then run the desktop app; where the Electron
// binary cannot be had (CI, no download), say so in one line and open the web host instead.
// Usage: npm start [-- --web]   (--web skips Electron)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from './freshness.js';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const isWindows = process.platform === 'win32';
const outputs = ['out/main/index.js', 'out/main/worker.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
const sourceDirs = ['core', 'electron', 'renderer', 'resources'];
const sourceFiles = ['electron.vite.config.ts', 'package.json', 'tsconfig.node.json', 'tsconfig.web.json'];

function isBuildStale() {
  const built = outputs.map((file) => join(root, file));
  if (!built.every((file) => existsSync(file))) return true;
  const oldestOutput = Math.min(...built.map((file) => statSync(file).mtimeMs));
  const newestSource = Math.max(...[...sourceDirs, ...sourceFiles].map((path) => newestMtime(join(root, path))));
  return newestSource > oldestOutput;
}

function build() {
  console.log('Building Tunebench (electron-vite build)...');
  const result = spawnSync(isWindows ? 'npx.cmd' : 'npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit', shell: isWindows });
  if (result.status !== 0) {
    console.error('Build failed; see the output above.');
    process.exit(result.status ?? 1);
  }
}

/** The Electron executable, or a reason it cannot be had. Never throws, never hangs for long. */
function findElectron() {
  const pkgDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkgDir, 'package.json'))) return { reason: 'the electron package is not installed' };
  const pathFile = join(pkgDir, 'path.txt');
  if (existsSync(pathFile) && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    if (existsSync(binary)) return { binary };
  }
  // require('electron') downloads a missing binary; give it a bounded chance, quietly.
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const binary = probe.status === 0 ? probe.stdout.trim().split('\n').pop() : undefined;
  if (binary && existsSync(binary)) return { binary };
  if (probe.error) return { reason: probe.error.message };
  const thrown = (probe.stderr || '').split('\n').filter((line) => /^\w*Error: /.test(line)).pop();
  return { reason: thrown ? 'its binary could not be downloaded' : 'its binary is missing' };
}

function run(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exit(1);
  });
}

function startWebHost() {
  run(process.execPath, ['--import', 'tsx', join(root, 'core', 'cli', 'main.ts'), 'serve', '--open']);
}

if (isBuildStale()) build();
const wantsWeb = process.argv.includes('--web');
const electron = wantsWeb ? { reason: '--web was given' } : findElectron();
if (electron.binary) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would make the binary a plain Node
  run(electron.binary, ['.'], env);
} else {
  console.log(`Electron is not available here (${electron.reason}); opening the Tunebench web host in your browser instead.`);
  startWebHost();
}
