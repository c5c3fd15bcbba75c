/**
 * What Electron's preload adds beside the ApiTransport on `window.tunebench`: native dialogs and
 * the app menu. Defined here, in the contract, so the preload and the renderer share one copy.
 */
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
