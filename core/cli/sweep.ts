import type { Study } from '../api/domain.js';
import type { BackendName } from '../api/spec.js';
import type { TunebenchService } from '../engine/service.js';
import { exitCode } from './exitCodes.js';
import { testMetricFor } from '../api/dataNotes.js';
import { formatDuration, formatNumber, leaderboardTable, studyDataNotes } from './output.js';
import { createProgressView } from './progress.js';
import { writeOut } from './terminalText.js';

/**
 * Runs (or resumes) a study in this process with a progress view until it stops. Ctrl-C
 * cancels cleanly: running trials stop after their current batch, finished ones are kept.
 */
export async function runWithProgress(
  service: TunebenchService,
  study: Study,
  options: { workers?: number; json?: boolean; backend?: BackendName; jsonExtra?: () => Promise<Record<string, unknown>> },
): Promise<number> {
  const view = createProgressView(study, { quiet: Boolean(options.json) });
  const unsubscribe = service.onEvent((event) => view.handle(event));
  // Busy workers, counts and ETA as the service sees them, redrawn every second from the start.
  let isPolling = false;
  const poll = setInterval(() => {
    if (isPolling) return;
    isPolling = true;
    service.studies
      .get({ study: study.id })
      .then((detail) => view.refresh(detail), () => {})
      .finally(() => (isPolling = false));
  }, 1000);
  let interrupts = 0;
  const onSignal = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(exitCode.interrupted);
    process.stderr.write('\ncancelling: running trials stop after their current batch (press Ctrl-C again to force)\n');
    void service.studies.cancel({ study: study.id });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const startedAt = Date.now();
  try {
    const outcome = await service.run(study, { workers: options.workers, ...(options.backend ? { backend: options.backend } : {}) });
    clearInterval(poll);
    const detail = await service.studies.get({ study: study.id });
    view.refresh(detail);
    view.stop();
    const top = await service.trials.page({ study: study.id, limit: 5, states: ['complete'] });
    const best = top.rows[0] ?? null;
    const { counts } = detail.study;
    if (options.json) {
      const summary = {
        study: { id: study.id, name: detail.study.name, status: outcome.status, reason: outcome.reason },
        objective: study.objective,
        plannedTrials: detail.study.plannedTrials,
        counts,
        best: best && { trialId: best.id, number: best.number, value: best.value, bestEpoch: best.bestEpoch, params: best.params, backend: best.backend, testMetrics: best.testMetrics },
        notes: studyDataNotes(study, detail.dataset),
        elapsedMs: Date.now() - startedAt,
        ...(await options.jsonExtra?.()),
      };
      writeOut(JSON.stringify(summary, null, 2) + '\n');
    } else {
      const lines = [
        `study ${detail.study.name} (id ${study.id}): ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ''} in ${formatDuration(Date.now() - startedAt)}`,
        `trials: ${counts.complete} complete, ${counts.failed} failed, ${counts.pruned} pruned, ${counts.cancelled} cancelled of ${detail.study.plannedTrials} planned`,
      ];
      const testMetric = study.spec.testSplit === undefined ? undefined : testMetricFor(study.objective.metric);
      const testText = testMetric && best?.testMetrics?.[testMetric] !== undefined ? ` (${testMetric}=${formatNumber(best.testMetrics[testMetric])})` : '';
      if (best) lines.push(`best: trial #${best.number} ${study.objective.metric}=${formatNumber(best.value)}${testText}`, '', leaderboardTable(top.rows, 0, testMetric));
      lines.push(...studyDataNotes(study, detail.dataset));
      if (outcome.status === 'paused' || outcome.status === 'cancelled') lines.push('', `resume with: tunebench resume ${study.id}`);
      writeOut(lines.join('\n') + '\n');
    }
    if (outcome.status === 'done') return exitCode.ok;
    return outcome.status === 'cancelled' ? exitCode.interrupted : exitCode.failure;
  } finally {
    clearInterval(poll);
    view.stop();
    unsubscribe();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
