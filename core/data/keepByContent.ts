import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** A file name safe on every platform, keeping what a person would recognise; always `.csv`. */
export function safeCsvName(fileName: string): string {
  const safe = basename(fileName).replace(/[^\w.-]+/g, '_').replace(/^\.+/, '') || 'data.csv';
  return safe.toLowerCase().endsWith('.csv') ? safe : `${safe}.csv`;
}

/** sha256 (hex) of a file's bytes: the folder it is kept in. */
export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Keeps a CSV by its content at `<datasetsDir>/<sha256>/<original name>.csv` and returns that path.
 * A file is written once and never replaced: another file of the same name has another hash and
 * so another folder, and what older studies train on stays as it was. The write goes through a
 * temp file and a rename, so a crash never leaves half a file under the final name.
 */
export async function keepCsvByContent(bytes: Uint8Array, fileName: string, datasetsDir: string): Promise<string> {
  const folder = join(datasetsDir, contentHash(bytes));
  const path = join(folder, safeCsvName(fileName));
  if (existsSync(path)) return path;
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
  return path;
}

/**
 * keepCsvByContent for a file already on disk (an upload, fingerprinted while it was scanned): it
 * is moved into place, not copied, and removed when that content is kept already. `sha256` must be
 * of the file's bytes; the uploads folder is beside `datasetsDir`, so the rename stays on one disk.
 */
export async function keepFileByContent(file: string, sha256: string, fileName: string, datasetsDir: string): Promise<string> {
  const folder = join(datasetsDir, sha256);
  const path = join(folder, safeCsvName(fileName));
  if (existsSync(path)) {
    await rm(file, { force: true });
    return path;
  }
  await mkdir(folder, { recursive: true });
  await rename(file, path);
  return path;
}
