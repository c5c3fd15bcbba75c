import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { HistoryPoint, StudyDetail, ValueMode } from '../../../core/api/contract.js';
import type { MetricPoint } from '../../../core/api/domain.js';
import { useApi } from '../api/useApi.js';
import type { EventBatch } from '../lib/eventBatcher.js';
import { patchHistory } from '../lib/historyPatch.js';

/**
 * The open study as it runs: summary, running trials, history and the curves of the trials the
 * user picked. Big arrays live in shallowRefs and are replaced, never deep-proxied.
 */
export const useStudyLiveStore = defineStore('studyLive', () => {
  const api = useApi();
  const studyId = ref<number | null>(null);
  const detail = shallowRef<StudyDetail | null>(null);
  const history = shallowRef<HistoryPoint[]>([]);
  const valueMode = shallowRef<ValueMode>('best');
  /**
   * Until a chart needs every trial (parallel, heatmap, box, slices, curve labels) the history is
   * fetched thinned to the window's width: a 100,000-trial study then draws in well under a second.
   */
  const isHistoryFull = ref(false);
  const isLoading = ref(false);
  const isHistoryLoading = ref(false);
  const error = shallowRef<unknown>(null);
  const actionError = shallowRef<unknown>(null);
  const curveTrialIds = ref<number[]>([]);
  const curves = shallowRef<MetricPoint[]>([]);
  const curvesError = shallowRef<unknown>(null);
  /** Bumped when finished trials arrive, so the leaderboard knows to refetch its page. */
  const trialsVersion = ref(0);
  function historyRequest(id: number) {
    const columns = Math.min(4000, Math.max(100, Math.round(typeof window === 'undefined' ? 1200 : window.innerWidth)));
    return api.trials.history({ study: id, valueMode: valueMode.value, ...(isHistoryFull.value ? {} : { columns }) });
  }
  let historyTimer: ReturnType<typeof setTimeout> | null = null;
  let detailTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * Epochs each running trial has finished, from the live running list: the leaderboard shows
   * these for running rows, so it and the running list never disagree.
   */
  const liveEpochsRun = computed(() => new Map((detail.value?.running ?? []).map((entry) => [entry.trialId, entry.epoch + 1])));

  /** Loads the summary, then the history; the summary (and with it the leaderboard) shows first. */
  async function open(id: number): Promise<void> {
    if (studyId.value !== id) {
      detail.value = null;
      history.value = [];
      isHistoryFull.value = false;
      curveTrialIds.value = [];
      curves.value = [];
    }
    studyId.value = id;
    isLoading.value = true;
    isHistoryLoading.value = true;
    // Handlers are attached at once so neither promise can reject unobserved. Each flag drops in
    // the same tick as its data lands: a chart created "loading" would draw twice.
    const loadDetail = api.studies.get({ study: id }).then(
      (next) => {
        if (studyId.value !== id) return;
        detail.value = next;
        error.value = null;
        isLoading.value = false;
      },
      (caught: unknown) => {
        error.value = caught;
        isLoading.value = false;
      },
    );
    // The history waits for the summary: the host answers one call at a time, and the history (by
    // far the slowest) sent alongside would hold up the summary the leaderboard needs.
    const loadHistory = loadDetail.then(() => historyRequest(id)).then(
      (next) => {
        if (studyId.value !== id) return;
        history.value = next;
        isHistoryLoading.value = false;
      },
      (caught: unknown) => {
        actionError.value = caught;
        isHistoryLoading.value = false;
      },
    );
    await Promise.all([loadDetail, loadHistory]);
  }

  async function refreshDetail(): Promise<void> {
    const id = studyId.value;
    if (id === null) return;
    try {
      const next = await api.studies.get({ study: id });
      if (studyId.value !== id) return;
      // Epoch events may have moved on while the request was out: never step a trial back.
      const seen = new Map((detail.value?.running ?? []).map((entry) => [entry.trialId, entry.epoch]));
      const running = next.running.map((entry) => ({ ...entry, epoch: Math.max(entry.epoch, seen.get(entry.trialId) ?? -1) }));
      detail.value = { ...next, running };
    } catch (caught) {
      actionError.value = caught;
    }
  }

  async function refreshHistory(): Promise<void> {
    const id = studyId.value;
    if (id === null) return;
    try {
      const next = await historyRequest(id);
      if (studyId.value === id) history.value = next;
    } catch (caught) {
      actionError.value = caught;
    }
  }

  /** Counts and the host's ETA after trials finish, at most once a second. */
  function scheduleDetailRefresh(): void {
    detailTimer ??= setTimeout(() => {
      detailTimer = null;
      void refreshDetail();
    }, 1000);
  }

  function scheduleHistoryRefresh(): void {
    historyTimer ??= setTimeout(() => {
      historyTimer = null;
      void refreshHistory();
    }, 2000);
  }

  /** Replaces a thinned history with every trial's point, once a chart needs them all. */
  async function loadFullHistory(): Promise<void> {
    if (isHistoryFull.value) return;
    isHistoryFull.value = true;
    await refreshHistory();
  }

  async function setValueMode(mode: ValueMode): Promise<void> {
    valueMode.value = mode;
    await refreshHistory();
  }

  async function control(action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    const id = studyId.value;
    if (id === null) return;
    try {
      await api.studies[action]({ study: id });
      actionError.value = null;
    } catch (caught) {
      actionError.value = caught;
    }
    await refreshDetail();
  }

  /** Extend (N more trials) or re-run the best K with N seeds; started at once. Returns the refusal, if any. */
  async function grow(request: { kind: 'extend'; trials: number } | { kind: 'rerun'; top: number; seeds: number }): Promise<unknown> {
    const id = studyId.value;
    if (id === null) return null;
    try {
      if (request.kind === 'extend') await api.studies.extend({ study: id, trials: request.trials });
      else await api.studies.rerun({ study: id, top: request.top, seeds: request.seeds });
    } catch (caught) {
      return caught;
    }
    await refreshDetail();
    return null;
  }

  async function annotate(notes: string, tags: string[]): Promise<void> {
    const id = studyId.value;
    if (id === null || !detail.value) return;
    const study = await api.studies.annotate({ study: id, notes, tags });
    detail.value = { ...detail.value, study: { ...detail.value.study, notes: study.notes, tags: study.tags } };
  }

  async function showCurves(trialIds: number[]): Promise<void> {
    curveTrialIds.value = trialIds.slice(0, 8);
    if (trialIds.length === 0) {
      curves.value = [];
      return;
    }
    try {
      curves.value = await api.trials.curves({ trialIds: curveTrialIds.value });
      curvesError.value = null;
    } catch (caught) {
      curvesError.value = caught;
    }
  }

  /** Applies one batch of pushed events: one assignment per ref, whatever the batch size. */
  function applyBatch(batch: EventBatch): void {
    const id = studyId.value;
    const current = detail.value;
    if (id === null || !current) return;
    const study = batch.studies.get(id) ?? current.study;
    let running = current.running;
    const trials = [...batch.trials.values()].filter((trial) => trial.studyId === id);
    if (trials.length > 0) {
      const epochs = study.spec.epochs;
      const known = new Map(running.map((entry) => [entry.trialId, entry.epoch]));
      const others = running.filter((entry) => !trials.some((trial) => trial.id === entry.trialId));
      // A trial event can carry an older epoch count than the epoch events already applied.
      const started = trials
        .filter((trial) => trial.state === 'running')
        .map((trial) => ({ trialId: trial.id, number: trial.number, epoch: Math.max(trial.epochsRun - 1, known.get(trial.id) ?? -1), epochs }));
      running = [...others, ...started].sort((a, b) => a.number - b.number);
      if (valueMode.value === 'best') history.value = patchHistory(history.value, trials, study.objective.direction);
      else scheduleHistoryRefresh();
      if (trials.some((trial) => trial.state !== 'running' && trial.state !== 'queued')) trialsVersion.value++;
    }
    const epochs = [...batch.epochs.values()].flat().filter((update) => update.studyId === id);
    if (epochs.length > 0) {
      // Same meaning as the server's running list: the last epoch reported (-1 before the first).
      const latest = new Map(epochs.map((update) => [update.trialId, update.epoch]));
      running = running.map((entry) => {
        const epoch = latest.get(entry.trialId);
        return epoch === undefined || epoch <= entry.epoch ? entry : { ...entry, epoch };
      });
      const shown = new Set(curveTrialIds.value);
      const added = epochs
        .filter((update) => shown.has(update.trialId))
        .flatMap((update) =>
          Object.entries(update.metrics).map(([name, value]) => ({ trialId: update.trialId, epoch: update.epoch, name, value })),
        );
      if (added.length > 0) curves.value = [...curves.value, ...added];
    }
    if (study !== current.study || running !== current.running) detail.value = { ...current, study, running };
  }

  function close(): void {
    if (historyTimer) clearTimeout(historyTimer);
    if (detailTimer) clearTimeout(detailTimer);
    historyTimer = null;
    detailTimer = null;
  }

  return {
    studyId, detail, history, valueMode, isLoading, isHistoryLoading, error, actionError, curveTrialIds, curves, curvesError,
    trialsVersion, liveEpochsRun, open, refreshDetail, scheduleDetailRefresh, refreshHistory, loadFullHistory, setValueMode, control, annotate, grow,
    showCurves, applyBatch, close,
  };
});
