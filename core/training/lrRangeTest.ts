import { divergenceFactor, lrAtStep, smoothLosses, suggestRange, type LrFindResult } from '../api/lrFind.js';
import type { DatasetSplit } from '../data/dataset.js';
import type { LrFindJob } from './protocol.js';
import { TfjsTrainer } from './tfjsTrainer.js';

/**
 * Smith's LR range test: one model trained for `steps` batches, the rate raised exponentially
 * from minLr to maxLr per batch, each batch's loss recorded; it stops early once the smoothed loss
 * passes `divergenceFactor` times its best or is no longer a number, as fastai's lr_find does.
 */
export async function runLrRangeTest(request: LrFindJob, split: DatasetSplit, backend: string): Promise<LrFindResult> {
  const { job, minLr, maxLr, steps } = request;
  const trainer = new TfjsTrainer();
  const raw: { lr: number; loss: number }[] = [];
  let stoppedAt: number | null = null;
  try {
    trainer.build({ ...job.params, lrSchedule: 'constant' }, job.model, split, job.seed, 1);
    let best = Infinity;
    for (let step = 0; step < steps; step += 1) {
      const lr = lrAtStep(step, steps, minLr, maxLr);
      const loss = await trainer.trainStep(lr);
      raw.push({ lr, loss });
      const smoothed = smoothLosses(raw.map((p) => p.loss)).at(-1)!;
      best = Math.min(best, smoothed);
      if (!Number.isFinite(smoothed) || smoothed > divergenceFactor * best) {
        stoppedAt = lr;
        break;
      }
    }
  } finally {
    trainer.dispose();
  }
  return { ...suggestRange(raw), stoppedAt, params: { optimizer: job.params.optimizer, batchSize: job.params.batchSize }, backend };
}
