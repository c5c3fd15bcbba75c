import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { MetricPoint, Trial } from '../../../core/api/domain.js';
import { useApi } from '../api/useApi.js';

export const maxCompared = 8;

/** Trials picked in the leaderboard and the data of the compare view. */
export const useCompareStore = defineStore('compare', () => {
  const api = useApi();
  const studyId = ref<number | null>(null);
  const selectedIds = ref<number[]>([]);
  // Rows seen in the leaderboard, so compare opens without another round trip.
  const seen = new Map<number, Trial>();
  const trials = shallowRef<Trial[]>([]);
  const curves = shallowRef<MetricPoint[]>([]);
  const isLoading = ref(false);
  const error = shallowRef<unknown>(null);
  const isFull = computed(() => selectedIds.value.length >= maxCompared);

  function forStudy(id: number): void {
    if (studyId.value === id) return;
    studyId.value = id;
    selectedIds.value = [];
    seen.clear();
  }

  function remember(rows: readonly Trial[]): void {
    for (const row of rows) seen.set(row.id, row);
  }

  function toggle(trial: Trial): void {
    remember([trial]);
    const ids = selectedIds.value;
    if (ids.includes(trial.id)) selectedIds.value = ids.filter((id) => id !== trial.id);
    else if (ids.length < maxCompared) selectedIds.value = [...ids, trial.id];
  }

  function clear(): void {
    selectedIds.value = [];
  }

  async function fetchTrials(ids: number[]): Promise<Trial[]> {
    const missing = ids.filter((id) => !seen.has(id));
    if (missing.length > 0) remember(await api.trials.get({ trialIds: missing }));
    return ids.map((id) => seen.get(id)).filter((trial): trial is Trial => trial !== undefined);
  }

  async function load(id: number, ids: readonly number[]): Promise<void> {
    forStudy(id);
    selectedIds.value = ids.slice(0, maxCompared);
    isLoading.value = true;
    try {
      const [found, points] = await Promise.all([
        fetchTrials(selectedIds.value),
        selectedIds.value.length > 0 ? api.trials.curves({ trialIds: selectedIds.value }) : Promise.resolve([]),
      ]);
      trials.value = found.filter((trial) => trial.studyId === id);
      curves.value = points;
      error.value = null;
    } catch (caught) {
      error.value = caught;
    } finally {
      isLoading.value = false;
    }
  }

  return { studyId, selectedIds, trials, curves, isLoading, error, isFull, forStudy, remember, toggle, clear, load };
});
