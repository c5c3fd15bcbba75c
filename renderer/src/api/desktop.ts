import type { ApiTransport } from '../../../core/api/client.js';
import type { DesktopDialogs } from '../../../core/api/desktop.js';

export type { MenuCommand, OpenedFile } from '../../../core/api/desktop.js';

/**
 * The native dialogs and menu the Electron preload adds beside the ApiTransport on
 * `window.tunebench`. Absent in a browser, where file inputs and Blob downloads do the same jobs.
 */
export type NativeDialogs = DesktopDialogs;

export type DesktopTransport = ApiTransport & { dialogs?: NativeDialogs };

export function nativeDialogs(): NativeDialogs | null {
  return window.tunebench?.dialogs ?? null;
}
