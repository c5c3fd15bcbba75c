import { onBeforeUnmount, watch, type WatchSource } from 'vue';

/** Runs `effect` once `source` has been still for `ms`; pending work is dropped on unmount. */
export function useDebouncedWatch<T>(source: WatchSource<T>, effect: (value: T) => void, ms = 300): void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  watch(
    source,
    (value) => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        effect(value);
      }, ms);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    if (timer) clearTimeout(timer);
  });
}
