import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  invoke: vi.fn(async () => ({ ok: true, value: [] })),
  on: vi.fn(),
  removeListener: vi.fn(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: { invoke: electron.invoke, on: electron.on, removeListener: electron.removeListener },
}));

type Exposed = {
  call(method: string, request: unknown): Promise<unknown>;
  subscribe(listener: (event: unknown) => void): () => void;
  dialogs: Record<string, (...args: unknown[]) => unknown>;
};

async function load(): Promise<Exposed> {
  vi.resetModules();
  electron.exposeInMainWorld.mockClear();
  await import('./index.js');
  expect(electron.exposeInMainWorld).toHaveBeenCalledTimes(1);
  const [name, value] = electron.exposeInMainWorld.mock.calls[0] as [string, Exposed];
  expect(name).toBe('tunebench');
  return value;
}

beforeEach(() => {
  electron.invoke.mockClear();
  electron.on.mockClear();
  electron.removeListener.mockClear();
});

describe('preload', () => {
  it('exposes exactly { call, subscribe, dialogs } and nothing of ipcRenderer', async () => {
    const api = await load();
    expect(Object.keys(api).sort()).toEqual(['call', 'dialogs', 'subscribe']);
    expect(Object.keys(api.dialogs).sort()).toEqual(['onMenuCommand', 'openCsv', 'openSpec', 'saveExport', 'saveSpec']);
    for (const value of [api.call, api.subscribe, ...Object.values(api.dialogs)]) expect(typeof value).toBe('function');
  });

  it('call forwards to ipcRenderer.invoke("tunebench:call", method, request)', async () => {
    const api = await load();
    await expect(api.call('studies.list', {})).resolves.toEqual({ ok: true, value: [] });
    expect(electron.invoke).toHaveBeenCalledWith('tunebench:call', 'studies.list', {});
  });

  it('subscribe delivers each event of a batch without the IPC event object, and unsubscribes', async () => {
    const api = await load();
    const seen: unknown[] = [];
    const off = api.subscribe((event) => seen.push(event));
    const [channel, handler] = electron.on.mock.calls[0] as unknown as [string, (event: unknown, batch: unknown) => void];
    expect(channel).toBe('tunebench:events');
    handler({ sender: 'ipcRenderer' }, [{ type: 'epoch', epoch: 1 }, { type: 'epoch', epoch: 2 }]);
    handler({ sender: 'ipcRenderer' }, 'not an array');
    expect(seen).toEqual([{ type: 'epoch', epoch: 1 }, { type: 'epoch', epoch: 2 }]);
    off();
    expect(electron.removeListener).toHaveBeenCalledWith('tunebench:events', handler);
  });

  it('dialogs go through tunebench:dialog and unwrap the response', async () => {
    const api = await load();
    electron.invoke.mockResolvedValueOnce({ ok: true, value: { path: '/x.json' } } as never);
    await expect(api.dialogs.saveExport!({ text: '{}', fileName: 'x.json' })).resolves.toEqual({ path: '/x.json' });
    expect(electron.invoke).toHaveBeenLastCalledWith('tunebench:dialog', 'saveExport', { text: '{}', fileName: 'x.json' });
    const error = { name: 'TunebenchError', code: 'CSV_PARSE', message: 'bad', issues: [] };
    electron.invoke.mockResolvedValueOnce({ ok: false, error } as never);
    await expect(api.dialogs.openCsv!()).rejects.toEqual(error);
  });

  it('menu commands reach the page only when they are known commands', async () => {
    const api = await load();
    const commands: unknown[] = [];
    api.dialogs.onMenuCommand!((command: unknown) => commands.push(command));
    const [channel, handler] = electron.on.mock.calls[0] as unknown as [string, (event: unknown, command: unknown) => void];
    expect(channel).toBe('tunebench:menu');
    handler({}, 'openCsv');
    handler({}, 'rm -rf');
    expect(commands).toEqual(['openCsv']);
  });
});
