import { describe, expect, it, vi } from 'vitest';
import type { DialogDeps } from './dialogs.js';
import { createDialogHandler } from './dialogs.js';

function deps(overrides: Partial<DialogDeps> = {}) {
  const written: [string, string][] = [];
  const files = new Map<string, Uint8Array>([
    ['/data/iris.csv', new TextEncoder().encode('\uFEFFa,b\n1,2\n')],
    ['/data/latin1.csv', Uint8Array.from([0x61, 0x2c, 0xe9, 0x0a])],
  ]);
  const base: DialogDeps = {
    pickOpen: vi.fn(async () => '/data/iris.csv'),
    pickSave: vi.fn(async (options: { defaultPath: string }) => `/chosen/${options.defaultPath}`),
    fileSize: async (path) => files.get(path)?.length ?? 0,
    readFile: async (path) => files.get(path) ?? new Uint8Array(),
    writeFile: async (path, text) => void written.push([path, text]),
    ...overrides,
  };
  return { base, written };
}

describe('native dialogs over IPC', () => {
  it('opens a CSV and returns its text with the BOM kept', async () => {
    const handler = createDialogHandler(deps().base);
    expect(await handler('openCsv', {})).toEqual({
      ok: true,
      value: { fileName: 'iris.csv', text: '\uFEFFa,b\n1,2\n' },
    });
  });
  it('returns null when the user cancels', async () => {
    const handler = createDialogHandler(deps({ pickOpen: async () => null }).base);
    expect(await handler('openSpec', {})).toEqual({ ok: true, value: null });
  });
  it('refuses non-UTF-8 and oversized files with a clear error', async () => {
    const latin = createDialogHandler(deps({ pickOpen: async () => '/data/latin1.csv' }).base);
    expect(await latin('openCsv', {})).toMatchObject({ ok: false, error: { code: 'CSV_PARSE', message: 'latin1.csv is not UTF-8 text' } });
    const huge = createDialogHandler(deps({ fileSize: async () => 2_000_000 }).base);
    expect(await huge('openSpec', {})).toMatchObject({ ok: false, error: { code: 'ARGUMENT_INVALID' } });
  });
  it('writes only where the user chose; a suggested name cannot pick the folder', async () => {
    const { base, written } = deps();
    const handler = createDialogHandler(base);
    expect(await handler('saveExport', { text: '{}', fileName: '../../.bashrc' })).toMatchObject({ ok: true, value: { path: '/chosen/.bashrc' } });
    expect(await handler('saveSpec', { text: 'name: x', suggestedName: 'C:\\Windows\\evil.yaml' })).toMatchObject({
      ok: true,
      value: { path: '/chosen/evil.yaml' },
    });
    expect(await handler('saveSpec', { text: 'name: y' })).toMatchObject({ ok: true, value: { path: '/chosen/study.yaml' } });
    expect(written).toEqual([
      ['/chosen/.bashrc', '{}'],
      ['/chosen/evil.yaml', 'name: x'],
      ['/chosen/study.yaml', 'name: y'],
    ]);
  });
  it('rejects unknown dialogs and bad arguments via the schemas', async () => {
    const { base, written } = deps();
    const handler = createDialogHandler(base);
    for (const [kind, args] of [
      ['deleteEverything', {}],
      [null, {}],
      ['saveExport', { text: 'x' }],
      ['saveExport', { text: 'x', fileName: 'a.json', path: '/etc/passwd' }],
      ['saveSpec', { text: 42 }],
      ['openCsv', { path: '/etc/shadow' }],
      ['saveExport', { text: 'x', fileName: '..' }],
    ] as const) {
      const response = await handler(kind, args);
      expect(response, JSON.stringify([kind, args])).toMatchObject({ ok: false, error: { code: 'ARGUMENT_INVALID' } });
    }
    expect(written).toEqual([]);
    expect(base.pickOpen).not.toHaveBeenCalled();
  });
});
