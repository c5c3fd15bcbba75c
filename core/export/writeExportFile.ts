import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { TunebenchError } from '../api/errors.js';

export interface WriteExportOptions {
  /** The open database: an export never replaces it (nor its -wal / -shm companions). */
  dbPath: string;
  /** Replace an existing file; without it an existing file is refused. */
  isForced?: boolean;
}

/** The real path of a file, or of its folder joined with its name when it does not exist yet. */
function realTarget(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const folder = dirname(absolute);
  return existsSync(folder) ? join(realpathSync(folder), basename(absolute)) : absolute;
}

function isSameFile(a: string, b: string): boolean {
  if (realTarget(a) === realTarget(b)) return true;
  try {
    const [sa, sb] = [statSync(a), statSync(b)];
    return sa.dev === sb.dev && sa.ino === sb.ino; // hard links
  } catch {
    return false;
  }
}

function refuse(message: string): never {
  throw new TunebenchError('ARGUMENT_INVALID', message, [{ where: '--out', message }]);
}

/**
 * Checks an export destination before anything is rendered or written: never the database or its
 * WAL/SHM files, a folder that exists, and no existing file (or model folder) unless forced.
 */
export function checkExportTarget(path: string, options: WriteExportOptions, kind: 'file' | 'folder' = 'file'): string {
  const target = resolve(path);
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    if (isSameFile(target, options.dbPath + suffix)) {
      refuse(`--out ${path} is the database ${options.dbPath}${suffix}: choose another file`);
    }
  }
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) refuse(`--out ${path}: the folder ${folder} does not exist; create it first`);
  if (existsSync(target)) {
    if (statSync(target).isDirectory() !== (kind === 'folder')) refuse(`--out ${path} is ${kind === 'file' ? 'a folder: name a file' : 'a file: name a folder'}`);
    if (!options.isForced) refuse(`--out ${path} exists already: pass --force to replace it`);
  }
  return target;
}

/** A new file (never an existing one), flushed to disk before it is renamed into place. */
function writeFlushed(path: string, data: string | Uint8Array): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes an export whole or not at all: into a temp file in the same folder, flushed to disk, then
 * renamed over the target, so a crash mid-write leaves the old file (or none), never a torn one.
 */
export function writeExportFile(path: string, data: string | Uint8Array, options: WriteExportOptions): string {
  const target = checkExportTarget(path, options);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFlushed(temp, data);
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new TunebenchError('ARGUMENT_INVALID', `cannot write --out ${path}: ${code}`, [{ where: '--out', message: code }]);
  }
  return target;
}

/**
 * Writes a folder of files (a saved model) whole: into a temp folder beside the target, then
 * renamed into place; a forced replace moves the old folder aside first and removes it after.
 */
export function writeExportFolder(path: string, files: Record<string, string | Uint8Array>, options: WriteExportOptions): string {
  const target = checkExportTarget(path, options, 'folder');
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const old = `${temp}.old`;
  try {
    mkdirSync(temp);
    for (const [name, data] of Object.entries(files)) writeFlushed(join(temp, name), data);
    const hasOld = existsSync(target);
    if (hasOld) renameSync(target, old);
    renameSync(temp, target);
    if (hasOld) rmSync(old, { recursive: true, force: true });
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new TunebenchError('ARGUMENT_INVALID', `cannot write --out ${path}: ${code}`, [{ where: '--out', message: code }]);
  }
  return target;
}
