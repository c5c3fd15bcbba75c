/// <reference types="vite/client" />
import type { DesktopTransport } from './api/desktop.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser, where the HTTP transport is used. */
    tunebench?: DesktopTransport;
  }
}
