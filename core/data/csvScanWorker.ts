/**
 * Worker thread entry: scans or describes one CSV file (csvScan.ts, csvDescribe.ts) off the host's
 * event loop and posts back `{ ok: true, value }` or `{ ok: false, error }` (a plain error, as
 * every boundary carries).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { toPlainError } from '../api/errors.js';
import { describeCsvFile } from './csvDescribe.js';
import { scanCsvFile } from './csvScan.js';
import type { CsvThreadTask } from './csvScanThread.js';

const task = workerData as CsvThreadTask;
const work = 'describe' in task ? describeCsvFile(task.path, task.describe) : scanCsvFile(task.path);
work.then(
  (value) => parentPort?.postMessage({ ok: true, value }),
  (error: unknown) => parentPort?.postMessage({ ok: false, error: toPlainError(error) }),
);
