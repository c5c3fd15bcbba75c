import { spawn } from 'node:child_process';
import { platform } from 'node:os';
import { warmWorkerIdleMs } from '../engine/warmSpawner.js';
import { startWebHost } from '../serve/webHost.js';
import type { GlobalOptions } from './context.js';
import { openService } from './context.js';

/** Opens a URL in the default browser where the platform has an opener; never fails the command. */
export function openBrowser(url: string): boolean {
  const opener = platform() === 'darwin' ? 'open' : platform() === 'win32' ? 'explorer.exe' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

export async function serveCommand(options: GlobalOptions & { port?: number; open?: boolean; insecure?: boolean }): Promise<void> {
  // The dashboard follows sweeps that other processes (a CLI) write to the same database.
  const service = await openService(options, 'write', { followMs: 500, warmWorkers: { idleMs: warmWorkerIdleMs } });
  const host = await startWebHost({ api: service, port: options.port ?? 0, insecure: Boolean(options.insecure), uploadsDir: service.uploadsDir });
  if (options.json) process.stdout.write(JSON.stringify({ url: host.url, port: host.port }) + '\n');
  else process.stdout.write(`Tunebench dashboard: ${host.url}\n(the token in the URL is your key; Ctrl-C stops the server)\n`);
  if (options.open) openBrowser(host.url);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await host.close();
  await service.close();
}
