import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../core/store/sqliteStore.js';
import type { Store } from '../../core/store/store.js';

/** A real SQLite store in a fresh temp folder, for tests; cleanup closes it and removes the folder. */
export async function tempStore(prefix = 'tunebench-'): Promise<{ store: Store; dir: string; cleanup(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = await openSqliteStore(join(dir, 'test.db'));
  return {
    store,
    dir,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
