import type { ApiEvent } from '../api/contract.js';
import { checkEvent } from '../api/responses.js';

export interface EventBatcher {
  push(event: ApiEvent): void;
  /** Sends what is pending now (used on close). */
  flush(): void;
  close(): void;
}

/** In development and tests every event that reaches a transport is checked against the contract. */
export function isContractCheckOn(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'development' || env.NODE_ENV === 'test';
}

/**
 * Collects events and hands them to `deliver` as one array at most once per `intervalMs`, so a
 * sweep's thousands of epoch events cost a few UI updates per second. Study and trial events
 * are snapshots, so only the newest per id is kept; epoch events are kept in order. Shared by
 * the web host (WebSocket) and Electron (webContents.send), so it is the transport edge where
 * `checkEvents` throws on an event that does not match its schema, naming the field.
 */
export function createEventBatcher(
  deliver: (batch: ApiEvent[]) => void,
  intervalMs = 250,
  checkEvents = isContractCheckOn(),
): EventBatcher {
  let pending = new Map<string, ApiEvent>();
  let serial = 0;
  let timer: NodeJS.Timeout | undefined;
  let lastFlush = 0;
  let isClosed = false;

  const keyOf = (event: ApiEvent): string => {
    if (event.type === 'study') return `s${event.study.id}`;
    if (event.type === 'trial') return `t${event.trial.id}`;
    return `e${serial++}`;
  };

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    lastFlush = Date.now();
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    deliver(batch);
  };

  return {
    push(event) {
      if (isClosed) return;
      if (checkEvents) checkEvent(event);
      const key = keyOf(event);
      // Re-insert so a replaced snapshot moves after the epochs that preceded it.
      pending.delete(key);
      pending.set(key, event);
      if (!timer) timer = setTimeout(flush, Math.max(0, lastFlush + intervalMs - Date.now()));
    },
    flush,
    close() {
      isClosed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending.clear();
    },
  };
}
