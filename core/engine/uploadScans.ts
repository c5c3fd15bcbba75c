import type { CsvPreview } from '../api/contract.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkCsvText,
  contentHash,
  csvUploadsDir,
  keepFileByContent,
  previewSummary,
  removeUpload,
  scanCsvInThread,
  uploadFile,
  writeUpload,
} from '../data/index.js';
import type { CsvScan } from '../data/csvScan.js';

/** Scans kept for the uploads seen last: a preview per target pick must not read 200 MB again. */
const keptScans = 8;

export interface UploadScans {
  /** Where the web host streams uploads to. */
  dir: string;
  preview(upload: string, target: string | undefined, rows: number): Promise<CsvPreview>;
  /** Keeps the upload by content (moved, not copied; once) and returns the kept file's path. */
  keep(upload: string, fileName: string): Promise<string>;
  /**
   * CSV text (Electron's dialog) as an upload, id'd by its content so the same text is scanned
   * once, and checked off the main thread like any upload; NUL and U+FFFD are refused first.
   */
  fromText(text: string): Promise<string>;
}

/**
 * The service's side of uploaded CSVs: each is scanned once, in a worker thread, and its summary
 * answers every preview; an import moves the checked file into place. A file that fails the scan
 * is removed at once (its error stays the answer for its id).
 */
export function createUploadScans(datasetsDir: string): UploadScans {
  const dir = csvUploadsDir(datasetsDir);
  const scans = new Map<string, Promise<CsvScan>>();

  function scan(upload: string): Promise<CsvScan> {
    const known = scans.get(upload);
    if (known) return known;
    const scanning = scanCsvInThread(uploadFile(dir, upload)).catch(async (error: unknown) => {
      await removeUpload(dir, upload).catch(() => {});
      throw error;
    });
    scans.set(upload, scanning);
    for (const oldest of scans.keys()) {
      if (scans.size <= keptScans) break;
      scans.delete(oldest);
    }
    return scanning;
  }

  return {
    dir,
    async preview(upload, target, rows) {
      return previewSummary(await scan(upload), target, rows);
    },
    async keep(upload, fileName) {
      const { sha256 } = await scan(upload);
      // The scan stays: a target picked after the import is still answered from it.
      return keepFileByContent(uploadFile(dir, upload), sha256, fileName, datasetsDir);
    },
    async fromText(text) {
      checkCsvText(text);
      const bytes = Buffer.from(text, 'utf8');
      const upload = contentHash(bytes).slice(0, 32);
      const known = scans.get(upload);
      // A file that failed its scan was removed; its error stays the answer.
      if (known && !(await known.then(() => true, () => false))) return upload;
      // Imported before (moved into place): written again, so a second import finds it.
      if (!existsSync(join(dir, `${upload}.csv`))) await writeUpload(dir, upload, bytes);
      return upload;
    },
  };
}
