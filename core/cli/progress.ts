import cliProgress from 'cli-progress';
import type { ApiEvent, StudyDetail } from '../api/contract.js';
import type { Study, StudySummary, Trial } from '../api/domain.js';
import { finishedCount } from '../api/progress.js';
import { count, formatDuration, formatNumber } from './output.js';
import { writeErr } from './terminalText.js';

export interface ProgressView {
  handle(event: ApiEvent): void;
  /** The study as the service sees it now: polled about once a second while the sweep runs. */
  refresh(detail: StudyDetail): void;
  stop(): void;
}

/** Planned trials that have ended, each counted once (the domain's rule). */
export const finishedOf = (summary: StudySummary) => finishedCount(summary.counts);

/**
 * The ETA once it means something: after two trials and after every busy worker has finished
 * one (the first trials also pay the worker's start-up), else what is being waited for.
 */
export function etaText(detail: StudyDetail): string {
  const finished = finishedOf(detail.study);
  if (finished >= detail.study.plannedTrials) return 'done';
  if (detail.etaSeconds === null || finished < Math.max(2, detail.running.length)) return finished === 0 ? 'ETA after the first trials' : 'ETA soon';
  return `ETA ${formatDuration(detail.etaSeconds * 1000)}`;
}

/**
 * The non-TTY line for a finished trial. A pruned trial says where it stopped: epochs are the
 * pruner's resource, so the epochs it ran are its rung, and its value is the last one reported.
 */
export function finishedTrialLine(trial: Trial, metric: string): string {
  const detail =
    trial.state === 'complete' ? `${metric}=${formatNumber(trial.value)}`
    : trial.state === 'pruned' ? `at epoch ${trial.epochsRun}, ${metric} ${formatNumber(trial.value)}`
    : (trial.error ?? '').split('\n')[0];
  return `trial #${trial.number} ${trial.state} ${detail} (${trial.backend ?? '?'})`;
}

/**
 * Shows a running sweep from its first second: a bar (trials done/total, best so far, busy
 * workers, ETA) on a terminal, one line per finished trial otherwise (logs, CI). Writes to stderr
 * so stdout stays clean for --json.
 */
export function createProgressView(study: Study, options: { quiet: boolean }): ProgressView {
  if (options.quiet) return { handle: () => {}, refresh: () => {}, stop: () => {} };
  const isTty = Boolean(process.stderr.isTTY);
  const trialsWord = study.plannedTrials === 1 ? 'trial' : 'trials';
  const bar = isTty
    ? new cliProgress.SingleBar(
        { format: ` {bar} {value}/{total} ${trialsWord} | best {best} | running {running} | {remaining}`, stream: process.stderr, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let isStopped = false;
  bar?.start(study.plannedTrials, 0, { best: '-', running: 0, remaining: 'starting workers' });
  if (!isTty) process.stderr.write(`study ${study.name}: ${count(study.plannedTrials, 'trial')} planned, starting workers\n`);
  return {
    handle(event) {
      if (isTty || event.type !== 'trial' || event.trial.studyId !== study.id) return;
      const { trial } = event;
      if (trial.state === 'running' || trial.state === 'queued') return;
      writeErr(finishedTrialLine(trial, study.objective.metric) + '\n');
    },
    refresh(detail) {
      if (!bar) return;
      bar.setTotal(detail.study.plannedTrials);
      const eta = detail.running.length === 0 && finishedOf(detail.study) === 0 ? 'starting workers' : etaText(detail);
      bar.update(finishedOf(detail.study), { best: formatNumber(detail.study.bestValue), running: detail.running.length, remaining: eta });
    },
    stop() {
      if (isStopped) return;
      isStopped = true;
      bar?.stop();
    },
  };
}
