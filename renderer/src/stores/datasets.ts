import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { DatasetInfo } from '../../../core/api/domain.js';
import { useApi } from '../api/useApi.js';

/** Known datasets (built-in and imported), loaded once per session and on demand. */
export const useDatasetsStore = defineStore('datasets', () => {
  const api = useApi();
  const datasets = shallowRef<DatasetInfo[]>([]);
  const isLoading = ref(false);
  const error = shallowRef<unknown>(null);

  async function load(): Promise<void> {
    isLoading.value = true;
    try {
      datasets.value = await api.datasets.list({});
      error.value = null;
    } catch (caught) {
      error.value = caught;
    } finally {
      isLoading.value = false;
    }
  }

  function byKey(key: string): DatasetInfo | undefined {
    return datasets.value.find((dataset) => dataset.key === key);
  }

  return { datasets, isLoading, error, load, byKey };
});
