/**
 * Worker thread entry: scans one CSV file (csvScan.ts) off the host's event loop and posts back
 * `{ ok: true, scan }` or `{ ok: false, error }` (a plain error, as every boundary carries).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toPlainError } from '../api/errors.js';
import { scanCsvFile } from './csvScan.js';

const { path } = workerData as { path: string };
scanCsvFile(path).then(
  (scan) => parentPort?.postMessage({ ok: true, scan }),
  (error: unknown) => parentPort?.postMessage({ ok: false, error: toPlainError(error) }),
);
