import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../core/store/sqliteStore.js';
import { runCli } from '../support/cli.js';
import { checkDatabase } from '../support/sqliteFiles.js';
import { damagePage, populatedDatabase, sha256 } from './dbFiles.js';
import { tally } from './tally.js';

// RELIABILITY rows 6, 41, 42 and issue 9 defects 2, 3, 9: files that are not ours, damaged or
// misplaced are refused with the path named, before a byte is written.
const dir = mkdtempSync(join(tmpdir(), 'tunebench-dbfiles-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const fresh = (name: string) => join(dir, `${files++}-${name}`);

describe("another application's SQLite file", () => {
  it('is refused by every command and left byte-identical, with no -wal or -shm beside it', () => {
    const path = fresh('contacts.db');
    const db = new Database(path);
    db.exec("CREATE TABLE contacts (name TEXT, phone TEXT); INSERT INTO contacts VALUES ('Ada', '555')");
    db.close();
    const before = sha256(path);
    for (const args of [['studies'], ['show', '1'], ['demo'], ['resume', '1'], ['export', '1']]) {
      const result = runCli([...args, '--db', path]);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`${path} is not a Tunebench database (it holds tables contacts)`);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
      tally('corruptFilesRefused');
    }
    expect(sha256(path)).toBe(before);
    expect([existsSync(`${path}-wal`), existsSync(`${path}-shm`)]).toEqual([false, false]);
  });

  it('is refused when it only carries a user_version of its own', async () => {
    const path = fresh('versioned.db');
    const db = new Database(path);
    db.pragma('user_version = 2');
    db.close();
    const before = sha256(path);
    await expect(openSqliteStore(path)).rejects.toMatchObject({ code: 'ARGUMENT_INVALID', issues: [{ where: path }] });
    expect(sha256(path)).toBe(before);
    tally('corruptFilesRefused');
  });
});

function isIntact(path: string): boolean {
  try {
    return checkDatabase(path).integrity === 'ok';
  } catch {
    return false; // SQLite could not even run the check
  }
}

describe('a damaged Tunebench database', () => {
  const seeds = Array.from({ length: 8 }, (_, i) => 1000 + i);

  it('is refused for writing and reading, untouched, offering a copy and --read-only', async () => {
    const original = fresh('good.db');
    await populatedDatabase(original, 3);
    const pristine = readFileSync(original);
    let damaged = 0;
    for (const seed of seeds) {
      const path = fresh(`damaged-${seed}.db`);
      writeFileSync(path, damagePage(pristine, seed));
      if (isIntact(path)) {
        rmSync(path);
        continue; // the bytes landed where SQLite cannot tell (free space, a value)
      }
      damaged += 1;
      const before = sha256(path);
      // Every command on the first damaged file; a writing and a reading one on the others.
      const commands = damaged === 1 ? [['resume', '1'], ['demo'], ['studies'], ['show', '1'], ['export', '1']] : [['resume', '1'], ['studies']];
      for (const args of commands) {
        const result = runCli([...args, '--db', path]);
        const isRead = args[0] === 'studies' || args[0] === 'show' || args[0] === 'export';
        if (isRead && result.status === 0) continue; // quick_check (read) misses index-only damage
        expect(result.status, `${args.join(' ')} seed ${seed}: ${result.stderr}`).toBe(1);
        expect(result.stderr).toContain(`${path} is damaged`);
        expect(result.stderr).toContain('--read-only');
        expect(result.stderr).toContain(`cp "${path}" "${path}.bak"`);
        tally('corruptFilesRefused');
      }
      const readOnly = runCli(['studies', '--db', path, '--read-only']);
      expect([0, 1]).toContain(readOnly.status); // what is left is shown, or a clean error
      expect(readOnly.stderr).not.toMatch(/\n\s+at /);
      expect(sha256(path)).toBe(before);
    }
    expect(damaged).toBeGreaterThanOrEqual(3);
  });
});

describe('a -wal file beside the database', () => {
  it('from another copy of the database is refused, naming it, and changes nothing', async () => {
    const path = fresh('mine.db');
    await populatedDatabase(path, 2, 'mine');
    // Another database whose WAL still holds its commits: copy the -wal while it is open.
    const other = fresh('other.db');
    const store = await openSqliteStore(other);
    const { sampleStudy } = await import('../support/storeFixtures.js');
    for (let i = 0; i < 3; i++) await store.createStudy(sampleStudy(`other-${i}`));
    copyFileSync(`${other}-wal`, `${path}-wal`);
    await store.close();
    const before = sha256(path);
    for (const args of [['studies'], ['resume', '1']]) {
      const result = runCli([...args, '--db', path]);
      expect(result.status, result.stderr).toBe(1);
      expect(result.stderr).toContain(`${path}-wal does not belong to ${path}`);
      tally('corruptFilesRefused');
    }
    expect(sha256(path)).toBe(before);
    rmSync(`${path}-wal`);
    rmSync(`${path}-shm`, { force: true });
    const listed = runCli(['studies', '--db', path, '--json']);
    expect(JSON.parse(listed.stdout).map((s: { name: string }) => s.name).sort()).toEqual(['mine-0', 'mine-1']);
  });

  it('of its own, left by a crash, is replayed: committed studies are kept', async () => {
    const path = fresh('crashed.db');
    await populatedDatabase(path, 1, 'kept');
    const store = await openSqliteStore(path);
    const { sampleStudy } = await import('../support/storeFixtures.js');
    await store.createStudy(sampleStudy('in-wal'));
    const crashCopy = fresh('crash-copy.db');
    copyFileSync(path, crashCopy); // what a SIGKILL leaves: the file and its unmerged -wal
    copyFileSync(`${path}-wal`, `${crashCopy}-wal`);
    await store.close();
    const listed = runCli(['studies', '--db', crashCopy, '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).map((s: { name: string }) => s.name).sort()).toEqual(['in-wal', 'kept-0']);
  });
});

describe('paths that cannot hold a database or an export', () => {
  it('a folder as --db names it and says what to pass', () => {
    const folder = fresh('folder');
    mkdirSync(folder);
    const result = runCli(['studies', '--db', folder]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${folder} is a folder; --db takes a database file`);
    tally('badInputsTried');
  });

  it('a missing --out folder is named, with exit 2', async () => {
    const path = fresh('export.db');
    await populatedDatabase(path, 1);
    const out = join(dir, 'no-such-folder', 'best.json');
    const result = runCli(['export', '1', '--db', path, '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`the folder ${join(dir, 'no-such-folder')} does not exist`);
    tally('badInputsTried');
  });

  it.each([['abc'], ['99999'], ['-1'], ['1.5']])('serve --port %s is exit 2 naming the option', (port) => {
    const result = runCli(['serve', '--port', port, '--db', fresh('serve.db')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port must be a whole number from 0 to 65535');
    tally('badInputsTried');
  });
});
