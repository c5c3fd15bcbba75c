import type { Dispatch } from '../../core/api/dispatch.js';
import { channels } from '../shared/bridge.js';
import type { DialogHandler } from './dialogs.js';

/** The part of an IpcMainInvokeEvent we read. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}

/** The part of ipcMain we use (injected so tests need no Electron). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface IpcHandlerOptions {
  dialogs?: DialogHandler;
  log?: (message: string) => void;
}

/**
 * Registers the IPC surface: `tunebench:call` goes through the shared dispatcher (the same zod
 * validation as HTTP), `tunebench:dialog` through the dialog schemas. A call from any frame
 * whose URL is not ours (an injected iframe, a page navigated elsewhere) is refused and logged.
 * Returns the function that unregisters both channels.
 */
export function createIpcHandlers(
  ipcMain: IpcMainLike,
  dispatch: Dispatch,
  isTrustedSender: (url: string | undefined) => boolean,
  options: IpcHandlerOptions = {},
): () => void {
  const log = options.log ?? ((message: string) => console.warn(message));
  const checkSender = (event: InvokeEventLike, channel: string) => {
    const url = event.senderFrame?.url;
    if (!isTrustedSender(url)) {
      log(`refused ${channel} from untrusted frame ${JSON.stringify(url ?? null)}`);
      throw new Error(`${channel} refused: untrusted sender`);
    }
  };
  ipcMain.handle(channels.call, async (event, method, request) => {
    checkSender(event, channels.call);
    return dispatch(typeof method === 'string' ? method : String(method), request);
  });
  const { dialogs } = options;
  if (dialogs) {
    ipcMain.handle(channels.dialog, async (event, kind, args) => {
      checkSender(event, channels.dialog);
      return dialogs(kind, args);
    });
  }
  return () => {
    ipcMain.removeHandler(channels.call);
    if (dialogs) ipcMain.removeHandler(channels.dialog);
  };
}
