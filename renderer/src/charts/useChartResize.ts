import { onBeforeUnmount, onMounted, type Ref } from 'vue';

/** The part of vue-echarts' exposed API this needs. */
export interface ResizableChart {
  getWidth(): number;
  getHeight(): number;
  resize(): void;
}

const throttleMs = 100;

/**
 * Resizes the chart when its panel really changes size. Instead of vue-echarts' `autoresize`,
 * which compares ResizeObserver's fractional sizes with ECharts' whole pixels, so every chart in
 * a panel of fractional width (rem paddings) redrew once for nothing ~100 ms after it appeared:
 * a second full render of a 10,000-point history. ECharts sizes from clientWidth/Height, as here.
 */
export function useChartResize(panel: Ref<HTMLElement | null>, chart: Ref<ResizableChart | null>): void {
  let observer: ResizeObserver | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  function check(): void {
    timer = null;
    const host = panel.value;
    const instance = chart.value;
    if (!host || !instance || host.clientWidth === 0 || host.clientHeight === 0) return;
    if (host.clientWidth !== instance.getWidth() || host.clientHeight !== instance.getHeight()) instance.resize();
  }
  onMounted(() => {
    if (!panel.value) return;
    observer = new ResizeObserver(() => {
      timer ??= setTimeout(check, throttleMs);
    });
    observer.observe(panel.value);
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    if (timer) clearTimeout(timer);
  });
}
