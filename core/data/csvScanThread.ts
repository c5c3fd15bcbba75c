import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromPlainError, TunebenchError, type PlainError } from '../api/errors.js';
import type { CsvScan } from './csvScan.js';

/** The scan's heap cap: it keeps a summary, so more than this means a pathological file. */
const scanHeapMb = 512;

type ScanReply = { ok: true; scan: CsvScan } | { ok: false; error: PlainError };

/** The built worker beside the bundle when present; else the TypeScript source, loaded through tsx. */
function workerSource(): { script: URL | string; isEval: boolean } {
  const built = new URL('./csvScanWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return { script: built, isEval: false };
  const source = pathToFileURL(fileURLToPath(new URL('./csvScanWorker.ts', import.meta.url))).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return { script: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`, isEval: true };
}

/**
 * Scans a CSV file in a worker thread, so a 200 MB file neither blocks the host's event loop (other
 * requests are answered meanwhile) nor lifts its heap: the thread has its own, capped, and ends
 * with the scan. Errors are the scan's own (CSV_PARSE, CSV_SHAPE naming the line).
 */
export function scanCsvInThread(path: string): Promise<CsvScan> {
  const { script, isEval } = workerSource();
  const worker = new Worker(script, { eval: isEval, workerData: { path }, resourceLimits: { maxOldGenerationSizeMb: scanHeapMb } });
  return new Promise<CsvScan>((resolve, reject) => {
    let isSettled = false;
    worker.once('message', (reply: ScanReply) => {
      isSettled = true;
      if (reply.ok) resolve(reply.scan);
      else reject(fromPlainError(reply.error));
      void worker.terminate();
    });
    worker.once('error', (error: Error & { code?: string }) => {
      if (isSettled) return;
      isSettled = true;
      reject(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new TunebenchError('CSV_SHAPE', `the file needs more than ${scanHeapMb} MB to check (very many columns or values); drop columns first`)
          : error,
      );
    });
    worker.once('exit', (code) => {
      if (!isSettled) reject(new Error(`the CSV scan thread stopped (exit code ${code}) before it answered`));
    });
  });
}
