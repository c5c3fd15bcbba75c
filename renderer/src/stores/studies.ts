import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Study, StudySummary } from '../../../core/api/domain.js';
import { useApi } from '../api/useApi.js';

/** The studies list and the actions on whole studies. */
export const useStudiesStore = defineStore('studies', () => {
  const api = useApi();
  const studies = shallowRef<StudySummary[]>([]);
  const isLoading = ref(false);
  const hasLoaded = ref(false);
  const error = shallowRef<unknown>(null);

  async function load(): Promise<void> {
    isLoading.value = true;
    try {
      studies.value = await api.studies.list({});
      error.value = null;
      hasLoaded.value = true;
    } catch (caught) {
      error.value = caught;
    } finally {
      isLoading.value = false;
    }
  }

  async function rename(id: number, name: string): Promise<void> {
    await api.studies.rename({ study: id, name });
    await load();
  }

  async function remove(id: number): Promise<void> {
    await api.studies.remove({ study: id });
    studies.value = studies.value.filter((study) => study.id !== id);
  }

  async function duplicate(id: number, name?: string): Promise<Study> {
    const copy = await api.studies.duplicate(name ? { study: id, name } : { study: id });
    await load();
    return copy;
  }

  /** Live study summaries replace listed ones; an unknown id means a new study, so reload. */
  function applyStudies(updates: Map<number, StudySummary>): void {
    if (updates.size === 0) return;
    const known = new Set(studies.value.map((study) => study.id));
    if ([...updates.keys()].some((id) => !known.has(id))) {
      void load();
      return;
    }
    studies.value = studies.value.map((study) => updates.get(study.id) ?? study);
  }

  return { studies, isLoading, hasLoaded, error, load, rename, remove, duplicate, applyStudies };
});
