import { onBeforeUnmount, onMounted } from 'vue';
import { EventBatcher, type EventBatch } from '../lib/eventBatcher.js';
import { useApi } from '../api/useApi.js';

/**
 * Subscribes the calling component to pushed events while it is mounted and hands them over in
 * batches (default: at most 2.5 a second), so a busy sweep never re-renders once per metric.
 */
export function useLiveTrials(onBatch: (batch: EventBatch) => void, intervalMs = 400): void {
  const api = useApi();
  let unsubscribe: (() => void) | null = null;
  const batcher = new EventBatcher(onBatch, intervalMs);
  onMounted(() => {
    unsubscribe = api.onEvent((event) => batcher.push(event));
  });
  onBeforeUnmount(() => {
    unsubscribe?.();
    batcher.dispose();
  });
}
