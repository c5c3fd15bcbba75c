import type { ApiEvent, ApiMethod, ApiResponse } from '../../core/api/contract.js';

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

export const menuCommands = ['newStudy', 'openCsv', 'openSpec', 'saveSpec', 'export'] as const;
export type MenuCommand = (typeof menuCommands)[number];

/** A file the user picked: its name and text, never its path (the renderer reads no paths). */
export interface OpenedFile {
  fileName: string;
  text: string;
}

/** Native dialogs. The renderer never names a path to write: the user picks it here. */
export interface DesktopDialogs {
  /** Picks a CSV and returns its text (UTF-8, BOM kept), or null when cancelled. */
  openCsv(): Promise<OpenedFile | null>;
  openSpec(): Promise<OpenedFile | null>;
  saveSpec(args: { text: string; suggestedName?: string }): Promise<{ path: string } | null>;
  saveExport(args: { text: string; fileName: string }): Promise<{ path: string } | null>;
  /** The app menu's commands (File > Open CSV... and so on); returns the unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

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
