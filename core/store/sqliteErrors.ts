import Database from 'better-sqlite3';
import { TunebenchError } from '../api/errors.js';

/**
 * Turns a better-sqlite3 error into the TunebenchError a user can act on: SQLITE_BUSY/LOCKED ->
 * STORE_LOCKED, SQLITE_NOTADB/CORRUPT -> STORE_CORRUPT, FULL/IOERR -> STORE_IO, READONLY/CANTOPEN/PERM -> ARGUMENT_INVALID
 * (each naming the file). Anything else is
 * returned unchanged so its stack is kept. The original error is kept as `cause`.
 */
export function toStoreError(error: unknown, path: string): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  const { code } = error;
  let mapped: TunebenchError | null = null;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    mapped = new TunebenchError(
      'STORE_LOCKED',
      `the database ${path} is busy: another process kept it locked past the timeout; ` +
        'close the other Tunebench or try again',
      [{ where: path, message: error.message }],
    );
  } else if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    mapped = new TunebenchError(
      'STORE_CORRUPT',
      `${path} is not a Tunebench database or is damaged (${error.message}); ` +
        'restore a backup or move the file aside to start afresh',
      [{ where: path, message: error.message }],
    );
  } else if (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR')) {
    const what = code === 'SQLITE_FULL' ? `the disk holding ${path} is full` : `a write to ${path} failed (${error.message})`;
    mapped = new TunebenchError('STORE_IO', `${what}: the write was rolled back, nothing half-written was kept; free space or fix the disk, then resume`, [
      { where: path, message: error.message },
    ]);
  } else if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    mapped = new TunebenchError(
      'ARGUMENT_INVALID',
      `cannot write the database ${path} (${error.message}): the file or its folder is read-only. ` +
        'Reading commands (studies, show, export) work on it; to write, make it writable or choose another --db',
      [{ where: path, message: error.message }],
    );
  }
  if (mapped) mapped.cause = error;
  return mapped ?? error;
}
