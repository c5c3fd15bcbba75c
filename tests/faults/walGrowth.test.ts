import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { callPrefix } from '../../core/api/http.js';
import { populatedDatabase } from './dbFiles.js';
import { binPath } from '../support/cli.js';
import { checkDatabase } from '../support/sqliteFiles.js';
import { tally } from './tally.js';

// RELIABILITY row 8: while `tunebench serve` answers reads without pause and another process
// commits thousands of writes, checkpoints keep the -wal bounded (journal_size_limit 16 MiB).
const dir = mkdtempSync(join(tmpdir(), 'tunebench-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const walLimitBytes = 16 * 1024 * 1024 + 4 * 1024 * 1024; // the size limit plus one checkpoint's worth

describe('WAL growth under constant reads', () => {
  it('stays bounded while serve reads and a writer commits 3000 times', async () => {
    const db = join(dir, 'wal.db');
    await populatedDatabase(db, 1);
    const serve = spawn(process.execPath, [binPath, 'serve', '--db', db, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        serve.stdout.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString()) as { url: string }).url));
        serve.once('exit', () => reject(new Error('serve exited')));
      });
      const { origin, searchParams } = new URL(url);
      const headers = { authorization: `Bearer ${searchParams.get('token')}`, 'content-type': 'application/json' };
      let reads = 0;
      let isWriting = true;
      let maxWal = 0;
      const reader = (async () => {
        while (isWriting) {
          const response = await fetch(`${origin}${callPrefix}studies.list`, { method: 'POST', headers, body: '{}' });
          expect(response.status).toBe(200);
          await response.json();
          reads += 1;
          if (existsSync(`${db}-wal`)) maxWal = Math.max(maxWal, statSync(`${db}-wal`).size);
        }
      })();
      const writerScript = fileURLToPath(new URL('./walWriter.ts', import.meta.url));
      const writer = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), writerScript, db, '3000'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let writerErr = '';
      writer.stderr.on('data', (chunk: Buffer) => (writerErr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => writer.once('exit', resolve));
      isWriting = false;
      await reader;
      expect(code, writerErr).toBe(0);
      expect(reads).toBeGreaterThan(50);
      expect(maxWal).toBeLessThan(walLimitBytes);
      expect(maxWal).toBeGreaterThan(0);
    } finally {
      serve.kill('SIGTERM');
      await new Promise((resolve) => serve.once('exit', resolve));
    }
    expect(checkDatabase(db)).toEqual({ integrity: 'ok', brokenKeys: 0 });
    tally('integrityChecks');
  });
});
