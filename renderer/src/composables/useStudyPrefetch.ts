import { watch } from 'vue';
import { loadStudyCharts } from '../charts/loadStudyCharts.js';
import { useCompareStore } from '../stores/compare.js';
import { useLeaderboardStore } from '../stores/leaderboard.js';
import { useStudyLiveStore } from '../stores/studyLive.js';
import type { HashRouter } from './useHashRouter.js';

/**
 * Opens the study a route names as soon as the route is known, in the app's setup before any
 * view mounts: its API requests and the charts' chunk (ECharts) start together, instead of the
 * requests waiting for a lazy view to download, run and mount. The study view only reads.
 */
export function useStudyPrefetch(route: HashRouter['route']): void {
  const compare = useCompareStore();
  const board = useLeaderboardStore();
  const live = useStudyLiveStore();
  watch(
    route,
    (next) => {
      if (next.name !== 'study') return;
      compare.forStudy(next.studyId);
      board.reset(next.studyId);
      // The page request goes first: the host answers in order and the history is the slow one.
      void board.load(live.valueMode);
      void live.open(next.studyId);
      void loadStudyCharts();
    },
    { immediate: true },
  );
}
