import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TunebenchError } from '../api/errors.js';

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

/**
 * keepCsvByContent for a file that stays where it is (a spec's CSV): copied as a stream, hashing
 * the bytes on the way, and kept only when they are the ones checked (`sha256`); a file changed
 * since is refused, so a study never points at bytes its fingerprint does not describe.
 */
export async function copyFileByContent(file: string, sha256: string, fileName: string, datasetsDir: string): Promise<string> {
  const folder = join(datasetsDir, sha256);
  const path = join(folder, safeCsvName(fileName));
  if (existsSync(path)) return path;
  await mkdir(folder, { recursive: true });
  const temp = join(folder, `.${randomBytes(6).toString('hex')}.tmp`);
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(file), hashing, createWriteStream(temp, { flags: 'wx' }));
    if (hash.digest('hex') !== sha256) {
      throw new TunebenchError('DATASET_MISMATCH', `${basename(file)}: the file changed while it was being checked; try again once it is written`);
    }
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
  return path;
}
