import type { ApiEvent, ApiMethod, ApiResponse } from '../../core/api/contract.js';
import type { DesktopBridge, DialogKind, MenuCommand } from '../shared/bridge.js';
import { channels, menuCommands } from '../shared/bridge.js';

/** The part of ipcRenderer the bridge uses (injected so tests need no Electron). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * Builds `window.tunebench`. Only plain functions and data cross the context bridge: the
 * IpcRendererEvent (whose `sender` is ipcRenderer itself) is never handed to page code.
 */
export function createBridge(ipc: IpcRendererLike): DesktopBridge {
  const listen = <T>(channel: string, accept: (payload: unknown) => T[], listener: (item: T) => void) => {
    const handler = (_event: unknown, payload: unknown) => {
      for (const item of accept(payload)) listener(item);
    };
    ipc.on(channel, handler);
    return () => {
      ipc.removeListener(channel, handler);
    };
  };
  const dialog = async (kind: DialogKind, args?: unknown) => {
    const response = (await ipc.invoke(channels.dialog, kind, args ?? {})) as ApiResponse<unknown>;
    if (!response.ok) throw response.error;
    return response.value;
  };
  const isMenuCommand = (value: unknown): value is MenuCommand => (menuCommands as readonly unknown[]).includes(value);
  return {
    call: (method: ApiMethod, request: unknown) => ipc.invoke(channels.call, method, request) as Promise<ApiResponse<unknown>>,
    subscribe: (listener: (event: ApiEvent) => void) =>
      listen(channels.events, (payload) => (Array.isArray(payload) ? (payload as ApiEvent[]) : []), listener),
    dialogs: {
      openCsv: () => dialog('openCsv') as ReturnType<DesktopBridge['dialogs']['openCsv']>,
      openSpec: () => dialog('openSpec') as ReturnType<DesktopBridge['dialogs']['openSpec']>,
      saveSpec: (args) => dialog('saveSpec', args) as ReturnType<DesktopBridge['dialogs']['saveSpec']>,
      saveExport: (args) => dialog('saveExport', args) as ReturnType<DesktopBridge['dialogs']['saveExport']>,
      onMenuCommand: (listener) => listen(channels.menu, (payload) => (isMenuCommand(payload) ? [payload] : []), listener),
    },
  };
}
