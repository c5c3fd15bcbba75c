// A real `tunebench serve` child process and a headless Chromium, shared by the e2e tests and the
// UI bench. No vitest imports here: bench/uiBench.ts runs outside vitest.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServeProcess {
  url: string;
  port: number;
  /** Temp folder holding the database (imported CSVs are kept beside it, in datasets/) and TUNEBENCH_HOME. */
  dir: string;
  dbPath: string;
  home: string;
  /** Everything the server wrote to stderr, for failure messages. */
  stderr(): string;
  /** SIGTERM (graceful: cancels runs, closes the store), then SIGKILL of the whole group. */
  stop(): Promise<void>;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/**
 * Starts `tunebench serve --json` on a database in a new temp folder (or `dbPath`), in its own
 * process group so the trial workers it forks are stopped with it.
 */
export async function startServe(options: { dbPath?: string; dir?: string; startupMs?: number } = {}): Promise<ServeProcess> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'tunebench-e2e-'));
  const ownsDir = options.dir === undefined;
  const dbPath = options.dbPath ?? join(dir, 'e2e.db');
  const home = join(dir, 'home');
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'tunebench.js'), 'serve', '--db', dbPath, '--port', '0', '--json'], {
    cwd: repoRoot,
    env: { ...process.env, TUNEBENCH_HOME: home },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errText = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    errText = (errText + chunk).slice(-20_000);
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('tunebench serve did not start');

  const stop = async () => {
    if (groupAlive(pid)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await waitExit(child, 10_000);
      if (groupAlive(pid)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // the group emptied meanwhile
        }
      }
      await waitExit(child, 5_000);
    }
    if (ownsDir) rmSync(dir, { recursive: true, force: true });
  };

  try {
    const line = await new Promise<string>((done, fail) => {
      let out = '';
      const timer = setTimeout(() => fail(new Error(`tunebench serve printed no URL within ${options.startupMs ?? 60_000} ms`)), options.startupMs ?? 60_000);
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const end = out.indexOf('\n');
        if (end >= 0) {
          clearTimeout(timer);
          done(out.slice(0, end));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        fail(new Error(`tunebench serve exited early (code ${String(code)}, signal ${String(signal)})`));
      });
    });
    const parsed = JSON.parse(line) as { url: string; port: number };
    return { url: parsed.url, port: parsed.port, dir, dbPath, home, stderr: () => errText, stop };
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\nstderr:\n${errText}`);
  }
}

export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.TUNEBENCH_CHROMIUM ?? '/usr/bin/chromium', args: chromiumArgs });
}
