import type { ApiEvent, ApiMethod, ApiResponse } from '../../core/api/contract.js';
import type { DesktopDialogs } from '../../core/api/desktop.js';

export { menuCommands } from '../../core/api/desktop.js';
export type { DesktopDialogs, MenuCommand, OpenedFile } from '../../core/api/desktop.js';

/** IPC channel names; the only ones the preload touches. */
export const channels = {
  /** renderer -> main (invoke): (method, request) -> ApiResponse */
  call: 'tunebench:call',
  /** main -> renderer: ApiEvent[] batched, at most 4 per second */
  events: 'tunebench:events',
  /** renderer -> main (invoke): (kind, args) -> ApiResponse of the dialog's result */
  dialog: 'tunebench:dialog',
  /** main -> renderer: a MenuCommand chosen in the app menu */
  menu: 'tunebench:menu',
} as const;

export type DialogKind = Exclude<keyof DesktopDialogs, 'onMenuCommand'>;

/**
 * `window.tunebench` under Electron: an ApiTransport (core/api/client.ts) plus the dialogs.
 * Dialog methods throw TunebenchError-shaped errors as rejected promises of plain objects.
 */
export interface DesktopBridge {
  call(method: ApiMethod, request: unknown): Promise<ApiResponse<unknown>>;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  dialogs: DesktopDialogs;
}
