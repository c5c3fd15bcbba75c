import { existsSync, readFileSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { TunebenchError } from '../api/errors.js';

/** Above this a read-only disk's database is not copied into memory: copy it somewhere writable. */
const maxInMemoryBytes = 1024 * 1024 * 1024;

/**
 * A readonly connection that also works on a read-only disk. SQLite reads a WAL-mode file only
 * beside a -shm it can create; where it cannot and no -wal holds later writes, the file alone is
 * the whole database, so it is read from memory (its header marked rollback-journal, which is
 * what lets SQLite open the copy).
 */
export function openReadOnlyDatabase(path: string, timeout: number): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout });
  try {
    db.pragma('schema_version'); // the first read: where a missing -shm fails
    return db;
  } catch (error) {
    db.close();
    if (!(error instanceof Database.SqliteError && error.code.startsWith('SQLITE_CANTOPEN'))) throw error;
    return openFromMemory(path, timeout, error);
  }
}

function openFromMemory(path: string, timeout: number, cause: Error): Database.Database {
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new TunebenchError(
      'ARGUMENT_INVALID',
      `cannot read ${path} here: its folder is read-only and ${wal} holds writes not yet in the file. ` +
        'Copy the database and its -wal to a writable folder and read that copy',
      [{ where: path, message: cause.message }],
    );
  }
  if (statSync(path).size > maxInMemoryBytes) {
    throw new TunebenchError('ARGUMENT_INVALID', `cannot read ${path} here: its folder is read-only and the file is over 1 GiB; copy it to a writable folder`, [
      { where: path, message: cause.message },
    ]);
  }
  const bytes = readFileSync(path);
  if (bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1; // WAL -> rollback journal, in the copy only
  return new Database(bytes, { readonly: true, timeout });
}
