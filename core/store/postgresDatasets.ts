import type { Query } from './postgresSession.js';

/**
 * A CSV larger than this is not copied into the database: the pg driver reads a bytea whole into
 * memory on every worker that fetches it. Such a study trains where the file is at its path.
 */
export const datasetBlobCapBytes = 256 * 1024 * 1024;

/**
 * Stores a dataset's bytes once under its fingerprint (dataset_blob, migration 0001); a second
 * put of the same fingerprint keeps the first. False when over `capBytes` (nothing stored).
 */
export async function putDatasetBlob(q: Query, fingerprint: string, bytes: Uint8Array, now: number, capBytes: number): Promise<boolean> {
  if (bytes.byteLength > capBytes) return false;
  await q.run(
    `INSERT INTO dataset_blob (fingerprint, bytes, created_at) VALUES (@fingerprint, @bytes, @now)
     ON CONFLICT (fingerprint) DO NOTHING`,
    { fingerprint, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), now },
  );
  return true;
}

export async function getDatasetBlob(q: Query, fingerprint: string): Promise<Uint8Array | null> {
  const row = await q.one<{ bytes: Buffer }>('SELECT bytes FROM dataset_blob WHERE fingerprint = @fingerprint', { fingerprint });
  return row ? new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : null;
}

export async function hasDatasetBlob(q: Query, fingerprint: string): Promise<boolean> {
  return (await q.one('SELECT 1 AS one FROM dataset_blob WHERE fingerprint = @fingerprint', { fingerprint })) !== null;
}
