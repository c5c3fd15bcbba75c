import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliBuildDir, freshCliBuild, newestCliSource } from '../../scripts/cliBuild.js';

const root = mkdtempSync(join(tmpdir(), 'tunebench-clibuild-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeBuild(sourcesNewest: number): string {
  const dir = cliBuildDir(root);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), '');
  writeFileSync(join(dir, 'stamp.json'), JSON.stringify({ sourcesNewest }));
  return join(dir, 'main.js');
}

describe('the compiled CLI runs only while it matches the sources', () => {
  const source = join(root, 'core', 'cli', 'main.ts');
  mkdirSync(join(root, 'core', 'cli'), { recursive: true });
  writeFileSync(source, 'export {};\n');
  const builtAt = new Date('2026-01-01T00:00:00Z');
  utimesSync(source, builtAt, builtAt);

  it('uses a build stamped with the newest source', () => {
    const entry = writeBuild(newestCliSource(root));
    expect(freshCliBuild(root)).toBe(entry);
  });

  it('falls back to the sources when one was saved after the build', () => {
    writeBuild(newestCliSource(root));
    const later = new Date(builtAt.getTime() + 1000);
    utimesSync(source, later, later);
    expect(freshCliBuild(root)).toBeNull();
  });

  it('falls back when a new source file appears, and when the stamp is missing or unreadable', () => {
    utimesSync(source, builtAt, builtAt);
    writeBuild(newestCliSource(root));
    writeFileSync(join(root, 'core', 'cli', 'added.ts'), 'export {};\n');
    expect(freshCliBuild(root)).toBeNull();
    rmSync(join(root, 'core', 'cli', 'added.ts'));
    writeFileSync(join(cliBuildDir(root), 'stamp.json'), '{');
    expect(freshCliBuild(root)).toBeNull();
    rmSync(join(cliBuildDir(root), 'stamp.json'));
    expect(freshCliBuild(root)).toBeNull();
  });

  it('ignores test files: editing a test does not make the build stale', () => {
    writeBuild(newestCliSource(root));
    writeFileSync(join(root, 'core', 'cli', 'main.test.ts'), 'export {};\n');
    expect(freshCliBuild(root)).not.toBeNull();
  });
});
