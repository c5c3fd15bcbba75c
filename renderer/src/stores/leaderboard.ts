import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ApiRequest, ValueMode } from '../../../core/api/contract.js';
import type { Trial, TrialState } from '../../../core/api/domain.js';
import { useApi } from '../api/useApi.js';

export type SortKey = NonNullable<ApiRequest<'trials.page'>['sort']>;

/** One server-side page of the leaderboard; 10,000 trials never travel to the UI at once. */
export const useLeaderboardStore = defineStore('leaderboard', () => {
  const api = useApi();
  const studyId = ref<number | null>(null);
  const rows = shallowRef<Trial[]>([]);
  const total = ref(0);
  const offset = ref(0);
  const limit = ref(50);
  const sort = ref<SortKey>('value');
  /** Undefined lets the server order by the objective's direction (best first). */
  const descending = ref<boolean | undefined>(undefined);
  const states = ref<TrialState[]>([]);
  const optimizer = ref('');
  /** Only trials with this tag; empty for all. */
  const tag = ref('');
  const isLoading = ref(false);
  const error = shallowRef<unknown>(null);
  let sequence = 0;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;

  async function load(valueMode: ValueMode): Promise<void> {
    const id = studyId.value;
    if (id === null) return;
    const ticket = ++sequence;
    isLoading.value = true;
    try {
      const page = await api.trials.page({
        study: id,
        offset: offset.value,
        limit: limit.value,
        sort: sort.value,
        ...(descending.value === undefined ? {} : { descending: descending.value }),
        ...(states.value.length > 0 ? { states: [...states.value] } : {}),
        ...(optimizer.value ? { optimizer: optimizer.value } : {}),
        ...(tag.value ? { tag: tag.value } : {}),
        valueMode,
      });
      if (ticket !== sequence) return;
      rows.value = page.rows;
      total.value = page.total;
      error.value = null;
    } catch (caught) {
      if (ticket === sequence) error.value = caught;
    } finally {
      if (ticket === sequence) isLoading.value = false;
    }
  }

  function reset(id: number): void {
    if (studyId.value === id) return;
    studyId.value = id;
    rows.value = [];
    total.value = 0;
    offset.value = 0;
    sort.value = 'value';
    descending.value = undefined;
    states.value = [];
    optimizer.value = '';
    tag.value = '';
  }

  /** Header click: a new column sorts in its natural order, the same column flips it. */
  function toggleSort(key: SortKey): void {
    if (sort.value === key) descending.value = !(descending.value ?? key !== 'number');
    else {
      sort.value = key;
      // Values best-first, durations longest first, everything else from the smallest.
      descending.value = key === 'value' ? undefined : key === 'duration';
    }
    offset.value = 0;
  }

  /** Live refetch, at most once a second however many trials finish. */
  function scheduleRefresh(valueMode: () => ValueMode): void {
    refreshTimer ??= setTimeout(() => {
      refreshTimer = null;
      void load(valueMode());
    }, 1000);
  }

  return {
    studyId, rows, total, offset, limit, sort, descending, states, optimizer, tag, isLoading, error,
    load, reset, toggleSort, scheduleRefresh,
  };
});
