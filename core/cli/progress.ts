import cliProgress from 'cli-progress';
import type { ApiEvent } from '../api/contract.js';
import type { Study, StudySummary } from '../api/domain.js';
import { formatNumber } from './output.js';
import { writeErr } from './terminalText.js';

export interface ProgressView {
  handle(event: ApiEvent): void;
  stop(): void;
}

/**
 * Shows a running sweep: a bar (trials done/total, best so far, ETA) on a terminal, one line per
 * finished trial otherwise (logs, CI). Writes to stderr so stdout stays clean for --json.
 */
export function createProgressView(study: Study, options: { quiet: boolean }): ProgressView {
  if (options.quiet) return { handle: () => {}, stop: () => {} };
  const isTty = Boolean(process.stderr.isTTY);
  const bar = isTty
    ? new cliProgress.SingleBar(
        {
          format: ' {bar} {value}/{total} trials | best {best} | running {running} | ETA {eta_formatted}',
          stream: process.stderr,
          hideCursor: true,
          etaBuffer: 20,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  const running = new Set<number>();
  const finishedOf = (summary: StudySummary) => summary.counts.complete + summary.counts.failed + summary.counts.pruned;
  return {
    handle(event) {
      if (event.type === 'trial' && event.trial.studyId === study.id) {
        const { trial } = event;
        if (trial.state === 'running') running.add(trial.id);
        else running.delete(trial.id);
        if (!isTty && trial.state !== 'running') {
          const detail = trial.state === 'complete' ? `${study.objective.metric}=${formatNumber(trial.value)}` : (trial.error ?? '').split('\n')[0];
          writeErr(`trial #${trial.number} ${trial.state} ${detail} (${trial.backend ?? '?'})\n`);
        }
      }
      if (event.type === 'study' && event.study.id === study.id && bar) {
        const payload = { best: formatNumber(event.study.bestValue), running: running.size };
        if (!started) {
          bar.start(event.study.plannedTrials, finishedOf(event.study), payload);
          started = true;
        } else {
          bar.setTotal(event.study.plannedTrials);
          bar.update(finishedOf(event.study), payload);
        }
      }
    },
    stop() {
      if (started) bar?.stop();
    },
  };
}
