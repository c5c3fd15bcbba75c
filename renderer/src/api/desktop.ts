import type { ApiTransport } from '../../../core/api/client.js';

/**
 * The native dialogs and menu the Electron preload adds beside the ApiTransport on
 * `window.tunebench` (mirrors electron/shared/bridge.ts, which the renderer may not import).
 * Absent in a browser, where file inputs and Blob downloads do the same jobs.
 */
export interface OpenedFile {
  fileName: string;
  text: string;
}

export type MenuCommand = 'newStudy' | 'openCsv' | 'openSpec' | 'saveSpec' | 'export';

export interface NativeDialogs {
  openCsv(): Promise<OpenedFile | null>;
  openSpec(): Promise<OpenedFile | null>;
  saveSpec(args: { text: string; suggestedName?: string }): Promise<{ path: string } | null>;
  saveExport(args: { text: string; fileName: string }): Promise<{ path: string } | null>;
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

export type DesktopTransport = ApiTransport & { dialogs?: NativeDialogs };

export function nativeDialogs(): NativeDialogs | null {
  return window.tunebench?.dialogs ?? null;
}
