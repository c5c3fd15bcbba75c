import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromPlainError, TunebenchError, type PlainError } from '../api/errors.js';
import type { CsvOptions } from './csvDataset.js';
import { describeCsvFile, type CsvDescription } from './csvDescribe.js';
import { scanCsvFile, type CsvScan } from './csvScan.js';

/** The scan's heap cap: it keeps a summary, so more than this means a pathological file. */
const scanHeapMb = 512;

type ThreadReply<T> = { ok: true; value: T } | { ok: false; error: PlainError };

/**
 * The built worker beside the bundle (the CLI's .build/cli) or one folder up (the app's
 * out/main, whose shared code sits in chunks/); else the TypeScript source, loaded through tsx;
 * null when neither is there.
 */
function workerSource(): { script: URL | string; isEval: boolean } | null {
  for (const candidate of ['./csvScanWorker.js', '../csvScanWorker.js']) {
    const built = new URL(candidate, import.meta.url);
    if (existsSync(fileURLToPath(built))) return { script: built, isEval: false };
  }
  const source = fileURLToPath(new URL('./csvScanWorker.ts', import.meta.url));
  if (!existsSync(source)) return null;
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(source).href)}); });`;
  return { script: code, isEval: true };
}

/** What the thread is asked: a scan (upload preview, import) or a dataset description (validate, create, check). */
export type CsvThreadTask = { path: string } | { path: string; describe: Omit<CsvOptions, 'path' | 'name'> };

/**
 * Scans a CSV file in a worker thread, so a 200 MB file neither blocks the host's event loop (other
 * requests are answered meanwhile) nor lifts its heap: the thread has its own, capped, and ends
 * with the scan. Errors are the scan's own (CSV_PARSE, CSV_SHAPE naming the line).
 */
export function scanCsvInThread(path: string): Promise<CsvScan> {
  return runInThread<CsvScan>({ path }, () => scanCsvFile(path));
}

/** describeCsvFile in a worker thread: the host learns a CSV dataset's DatasetInfo without loading it. */
export function describeCsvInThread(path: string, opts: Omit<CsvOptions, 'path' | 'name'>): Promise<CsvDescription> {
  return runInThread<CsvDescription>({ path, describe: opts }, () => describeCsvFile(path, opts));
}

function runInThread<T>(task: CsvThreadTask, onThisThread: () => Promise<T>): Promise<T> {
  const source = workerSource();
  // No worker script (a bundle without it): the same streamed work on this thread, still bounded.
  if (!source) return onThisThread();
  const { script, isEval } = source;
  const worker = new Worker(script, { eval: isEval, workerData: task, resourceLimits: { maxOldGenerationSizeMb: scanHeapMb } });
  return new Promise<T>((resolve, reject) => {
    let isSettled = false;
    worker.once('message', (reply: ThreadReply<T>) => {
      isSettled = true;
      if (reply.ok) resolve(reply.value);
      else reject(fromPlainError(reply.error));
      void worker.terminate();
    });
    worker.once('error', (error: Error & { code?: string }) => {
      if (isSettled) return;
      isSettled = true;
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        reject(new TunebenchError('CSV_SHAPE', `the file needs more than ${scanHeapMb} MB to check (very many columns or values); drop columns first`));
      } else {
        // The thread could not run (e.g. a packaged app that cannot start it): do the work here.
        onThisThread().then(resolve, reject);
      }
    });
    worker.once('exit', (code) => {
      if (!isSettled) reject(new Error(`the CSV scan thread stopped (exit code ${code}) before it answered`));
    });
  });
}
