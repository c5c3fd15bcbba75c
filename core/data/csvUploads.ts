import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { TunebenchError } from '../api/errors.js';
import { csvTooLarge, maxCsvBytes } from './csvText.js';

/** An upload's id: 32 lower-case hex digits, so it can name a file and nothing else. */
export const uploadIdPattern = /^[0-9a-f]{32}$/;
/** Uploads never imported are removed after this long. */
const uploadLifetimeMs = 24 * 3600 * 1000;

/** Uploaded CSVs wait here, beside (and on the same disk as) the files kept by content. */
export function csvUploadsDir(datasetsDir: string): string {
  return join(datasetsDir, '.uploads');
}

/** The file of an upload, refusing an id that is not one or a file that is gone. */
export function uploadFile(uploadsDir: string, upload: string): string {
  const path = join(uploadsDir, `${uploadIdPattern.test(upload) ? upload : 'invalid'}.csv`);
  if (!uploadIdPattern.test(upload) || !existsSync(path)) {
    throw new TunebenchError('NOT_FOUND', `no uploaded CSV "${upload}" (it was imported already, or is older than a day): upload the file again`, [
      { where: '/upload', message: 'unknown upload' },
    ]);
  }
  return path;
}

/**
 * Streams a request body to a new file in `uploadsDir` and returns its id. The body never sits in
 * memory; past `maxBytes` the write stops and the partial file is removed. The file appears under
 * its id only once complete (temp name, then rename).
 */
export async function receiveUpload(body: Readable, uploadsDir: string, maxBytes = maxCsvBytes): Promise<{ upload: string; bytes: number }> {
  await mkdir(uploadsDir, { recursive: true });
  await removeStaleUploads(uploadsDir);
  const upload = randomBytes(16).toString('hex');
  const temp = join(uploadsDir, `.${upload}.part`);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(bytes > maxBytes ? csvTooLarge(bytes) : null, chunk);
    },
  });
  try {
    await pipeline(body, counter, createWriteStream(temp, { flags: 'wx' }));
    await rename(temp, join(uploadsDir, `${upload}.csv`));
  } finally {
    await rm(temp, { force: true });
  }
  return { upload, bytes };
}

/** Writes bytes held in memory (text an Electron dialog read) as the upload `upload`: temp file, then rename. */
export async function writeUpload(uploadsDir: string, upload: string, bytes: Uint8Array): Promise<void> {
  await mkdir(uploadsDir, { recursive: true });
  const temp = join(uploadsDir, `.${upload}.${randomBytes(4).toString('hex')}.part`);
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    await rename(temp, join(uploadsDir, `${upload}.csv`));
  } finally {
    await rm(temp, { force: true });
  }
}

export async function removeUpload(uploadsDir: string, upload: string): Promise<void> {
  if (uploadIdPattern.test(upload)) await rm(join(uploadsDir, `${upload}.csv`), { force: true });
}

async function removeStaleUploads(uploadsDir: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(uploadsDir)) {
    const path = join(uploadsDir, name);
    const info = await stat(path).catch(() => null);
    if (info && now - info.mtimeMs > uploadLifetimeMs) await rm(path, { force: true });
  }
}
