import type { DatasetSplit } from '../data/dataset.js';
import { PackedTrainer } from './packedTrainer.js';
import type { EpochReport, TrialEnd, TrialJob } from './protocol.js';
import { BestEpoch, completeEnd, epochEnd, failedEnd } from './runTrial.js';

export interface RunPackOptions {
  /** The jobs' shared split (one study, one dataset). */
  loadSplit(job: TrialJob): Promise<DatasetSplit>;
  onEpoch(report: EpochReport): void;
  /** With job.awaitsVerdict: resolves true when the engine prunes that trial after this epoch. */
  verdict?(trialId: number, epoch: number): Promise<boolean>;
  /** Aborting a trial's signal stops that trial alone after the batch in flight; it ends 'stopped'. */
  signalOf?(trialId: number): AbortSignal | undefined;
  /** Each trial's end, as soon as it is known (the others may train on). */
  onEnd(trialId: number, end: TrialEnd): void;
}

/**
 * Runs trials that share a pack key (packing.ts) and their epochs as one packed model
 * (packedTrainer.ts), each by runTrial's own rules: one report per member and epoch, a member
 * that diverges, is pruned or is stopped ends alone and leaves the pack, the others train on;
 * each complete member saves its own model. Never throws: an exception fails every member
 * still training. Every job gets exactly one onEnd.
 */
export async function runPack(jobs: readonly TrialJob[], options: RunPackOptions): Promise<void> {
  const ended = new Set<number>();
  const epochsRun = jobs.map(() => 0);
  let trainer: PackedTrainer | null = null;
  const finish = (member: number, end: TrialEnd) => {
    const job = jobs[member]!;
    if (ended.has(member)) return;
    ended.add(member);
    try {
      trainer?.drop(member);
    } catch {
      // Its end stands; the trainer is disposed with the pack.
    }
    options.onEnd(job.trialId, end);
  };
  const listeners = jobs.map((job, member) => {
    const signal = options.signalOf?.(job.trialId);
    const stop = () => trainer?.requestStop(member);
    signal?.addEventListener('abort', stop);
    return () => signal?.removeEventListener('abort', stop);
  });
  const isAborted = (member: number) => options.signalOf?.(jobs[member]!.trialId)?.aborted === true;
  try {
    const first = jobs[0];
    if (!first) return;
    const split = await options.loadSplit(first);
    trainer = new PackedTrainer();
    trainer.build(jobs.map((job) => ({ params: job.params, seed: job.seed })), first.model, split, first.epochs);
    jobs.forEach((_, member) => {
      if (isAborted(member)) finish(member, { state: 'stopped', epochsRun: 0 });
    });
    const best = jobs.map((job) => new BestEpoch(job));
    for (let epoch = 0; epoch < first.epochs && trainer.activeMembers.length > 0; epoch++) {
      const results = await trainer.runEpoch(epoch);
      const verdicts: Promise<void>[] = [];
      for (const [member, result] of results) {
        const job = jobs[member]!;
        const end = epochEnd(job, epoch, result, options.onEpoch);
        if (end) {
          finish(member, end);
          continue;
        }
        epochsRun[member] = epoch + 1;
        if (best[member]!.improves(result.metrics)) trainer.keepCheckpoint(member);
        const isLast = epoch === first.epochs - 1;
        const { verdict } = options;
        if (job.awaitsVerdict && !isLast && verdict) {
          // Verdicts are asked for every member at once; the pack waits for all of them.
          verdicts.push(verdict(job.trialId, epoch).then((prune) => {
            if (prune) finish(member, { state: 'stopped', epochsRun: epoch + 1 });
          }));
        }
      }
      await Promise.all(verdicts);
      // A stop that came while the pack waited ends the member here, as runTrial's verdict does.
      for (const member of [...trainer.activeMembers]) if (isAborted(member)) finish(member, { state: 'stopped', epochsRun: epochsRun[member]! });
    }
    for (const member of [...trainer.activeMembers]) {
      const saving = trainer;
      finish(member, await completeEnd(jobs[member]!, epochsRun[member]!, (dir) => saving.saveModel(member, dir)));
    }
  } catch (error) {
    jobs.forEach((_, member) => finish(member, failedEnd(error, epochsRun[member]!)));
  } finally {
    for (const remove of listeners) remove();
    try {
      trainer?.dispose();
    } catch {
      // A failed dispose must not hide the trials' outcomes.
    }
  }
}
