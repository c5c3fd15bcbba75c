import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { fromPlainError, TunebenchError, type PlainError } from '../api/errors.js';
import { scanCsvFile, type CsvScan } from './csvScan.js';

/** The scan's heap cap: it keeps a summary, so more than this means a pathological file. */
const scanHeapMb = 512;

type ScanReply = { ok: true; scan: CsvScan } | { ok: false; error: PlainError };

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

/**
 * Scans a CSV file in a worker thread, so a 200 MB file neither blocks the host's event loop (other
 * requests are answered meanwhile) nor lifts its heap: the thread has its own, capped, and ends
 * with the scan. Errors are the scan's own (CSV_PARSE, CSV_SHAPE naming the line).
 */
export function scanCsvInThread(path: string): Promise<CsvScan> {
  const source = workerSource();
  // No worker script (a bundle without it): the same streamed scan on this thread, still bounded.
  if (!source) return scanCsvFile(path);
  const { script, isEval } = source;
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
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        reject(new TunebenchError('CSV_SHAPE', `the file needs more than ${scanHeapMb} MB to check (very many columns or values); drop columns first`));
      } else {
        // The thread could not run the scan (e.g. a packaged app that cannot start it): scan here.
        scanCsvFile(path).then(resolve, reject);
      }
    });
    worker.once('exit', (code) => {
      if (!isSettled) reject(new Error(`the CSV scan thread stopped (exit code ${code}) before it answered`));
    });
  });
}
