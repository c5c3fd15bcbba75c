import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { StudyDetail } from '../../../core/api/contract.js';
import type { MetricPoint, Trial } from '../../../core/api/domain.js';
import { useApi } from '../api/useApi.js';

/** One trial in full for its own page: the row, every metric's curve and its study. */
export const useTrialDetailStore = defineStore('trialDetail', () => {
  const api = useApi();
  const trial = shallowRef<Trial | null>(null);
  const curves = shallowRef<MetricPoint[]>([]);
  const study = shallowRef<StudyDetail | null>(null);
  const isLoading = ref(false);
  const error = shallowRef<unknown>(null);
  let ticket = 0;

  async function load(studyId: number, trialId: number): Promise<void> {
    const mine = ++ticket;
    isLoading.value = true;
    try {
      const [found, points, detail] = await Promise.all([
        api.trials.get({ trialIds: [trialId] }),
        api.trials.curves({ trialIds: [trialId] }),
        api.studies.get({ study: studyId }),
      ]);
      if (mine !== ticket) return;
      // A trial of another study is not found here: the URL names both.
      trial.value = found.find((row) => row.studyId === studyId) ?? null;
      curves.value = trial.value ? points : [];
      study.value = detail;
      error.value = null;
    } catch (caught) {
      if (mine === ticket) error.value = caught;
    } finally {
      if (mine === ticket) isLoading.value = false;
    }
  }

  async function annotate(notes: string, tags: string[]): Promise<void> {
    if (!trial.value) return;
    trial.value = await api.trials.annotate({ trialId: trial.value.id, notes, tags });
  }

  /** The trial page's action: the same config trained again with a new seed (studies.rerun). */
  async function rerunWithAnotherSeed(): Promise<boolean> {
    if (!trial.value) return false;
    try {
      await api.studies.rerun({ study: trial.value.studyId, trialIds: [trial.value.id], seeds: 1 });
      error.value = null;
      return true;
    } catch (caught) {
      error.value = caught;
      return false;
    }
  }

  return { trial, curves, study, isLoading, error, load, annotate, rerunWithAnotherSeed };
});
