import type { ApiTransport } from '../../../core/api/client.js';
import type { ApiEvent, ApiMethod, ApiResponse } from '../../../core/api/contract.js';
import type { PlainError } from '../../../core/api/errors.js';
import { callPrefix, eventsPath } from '../../../core/api/http.js';

type Listener = (event: ApiEvent) => void;

function transportError(message: string): PlainError {
  return { name: 'TunebenchError', code: 'INTERNAL', message, issues: [] };
}

const socketLingerMs = 2000;

/** Backoff for event-stream reconnects: 0.5 s doubling to 10 s, reset once a socket opens. */
export function reconnectDelay(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
}

/**
 * The web host transport: one POST per call (the auth cookie rides along) and one shared
 * WebSocket for events, opened on the first subscriber and closed after the last leaves.
 */
export function createHttpTransport(base: Location = window.location): ApiTransport {
  const listeners = new Set<Listener>();
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let lingerTimer: ReturnType<typeof setTimeout> | null = null;

  function openSocket(): void {
    const url = new URL(eventsPath, base.href);
    url.protocol = base.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(url.href);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
    };
    ws.onmessage = (message) => {
      if (typeof message.data !== 'string') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(message.data);
      } catch {
        return;
      }
      const events = (Array.isArray(parsed) ? parsed : [parsed]) as ApiEvent[];
      for (const event of events) for (const listener of listeners) listener(event);
    };
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      if (listeners.size === 0) return;
      retryTimer = setTimeout(() => {
        retryTimer = null;
        if (listeners.size > 0 && !socket) openSocket();
      }, reconnectDelay(attempt++));
    };
  }

  function closeSocket(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    const ws = socket;
    socket = null;
    ws?.close();
  }

  return {
    async call(method: ApiMethod, request: unknown): Promise<ApiResponse<unknown>> {
      let response: Response;
      try {
        response = await fetch(new URL(callPrefix + method, base.href).href, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(request ?? {}),
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { ok: false, error: transportError(`cannot reach the Tunebench host (${reason})`) };
      }
      const text = await response.text();
      try {
        const parsed = JSON.parse(text) as ApiResponse<unknown>;
        if (parsed && typeof parsed === 'object' && 'ok' in parsed) return parsed;
      } catch {
        // Not JSON: a proxy page or an auth failure; reported below with the status.
      }
      const hint = response.status === 401 || response.status === 403 ? ' — open the link that `tunebench serve` printed' : '';
      return { ok: false, error: transportError(`HTTP ${response.status} from ${method}${hint}`) };
    },
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      if (lingerTimer) clearTimeout(lingerTimer);
      lingerTimer = null;
      if (!socket && !retryTimer) openSocket();
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0 || lingerTimer) return;
        // Views unmount before the next one mounts: keep the socket briefly for it.
        lingerTimer = setTimeout(() => {
          lingerTimer = null;
          if (listeners.size === 0) closeSocket();
        }, socketLingerMs);
      };
    },
  };
}
