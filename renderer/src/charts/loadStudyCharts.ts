/**
 * The study's charts as their own chunk (ECharts is most of the app's code), shared by the
 * study view's async component and the router's prefetch: one import(), so calling it early
 * only starts the download sooner.
 */
export const loadStudyCharts = () => import('../components/StudyCharts.vue');
