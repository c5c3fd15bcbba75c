import type { ApiEvent } from '../../core/api/contract.js';
import { createEventBatcher } from '../../core/serve/eventBatcher.js';
import { channels } from '../shared/bridge.js';

export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

/**
 * Forwards the service's events to the window as arrays on `tunebench:events`, at most one
 * send per 250 ms (<= 4/s), with the same coalescing as the web host. Returns the unsubscribe.
 */
export function pushEventsToWindow(
  onEvent: (listener: (event: ApiEvent) => void) => () => void,
  target: () => EventTarget | null,
  intervalMs = 250,
): () => void {
  const batcher = createEventBatcher((batch) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(channels.events, batch);
  }, intervalMs);
  const unsubscribe = onEvent((event) => batcher.push(event));
  return () => {
    unsubscribe();
    batcher.close();
  };
}
