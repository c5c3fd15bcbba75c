import type { ApiTransport } from '../../../core/api/client.js';
import { createHttpTransport } from './httpTransport.js';

/** The Electron preload's object when present, otherwise the web host over HTTP + WebSocket. */
export function pickTransport(): ApiTransport {
  return window.tunebench ?? createHttpTransport();
}
