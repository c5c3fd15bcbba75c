import { z } from 'zod';

/** One step of Smith's LR range test: the rate used for one batch and that batch's loss. */
export interface LrFindPoint {
  lr: number;
  loss: number;
  /** The loss smoothed as fastai does (exponential moving average, bias-corrected). */
  smoothed: number;
}

export interface LrFindResult {
  points: LrFindPoint[];
  /** Where the smoothed loss falls fastest (per log10 of the rate); null when it never falls. */
  steepest: number | null;
  /** The rate of the lowest smoothed loss, before it rises towards divergence. */
  minimum: number | null;
  /** The range to sweep (logUniform), or null when the curve says nothing (it never fell). */
  suggested: [number, number] | null;
  /** Why the test stopped early, when it did (the loss diverged). */
  stoppedAt: number | null;
  params: { optimizer: string; batchSize: number };
  backend: string;
}

const point = z.strictObject({ lr: z.number(), loss: z.number(), smoothed: z.number() });
export const lrFindResultSchema = z.strictObject({
  points: z.array(point),
  steepest: z.number().nullable(),
  minimum: z.number().nullable(),
  suggested: z.tuple([z.number(), z.number()]).nullable(),
  stoppedAt: z.number().nullable(),
  params: z.strictObject({ optimizer: z.string(), batchSize: z.number() }),
  backend: z.string(),
});

/** The rate of step i of n, rising exponentially from minLr to maxLr (Smith 2017). */
export function lrAtStep(step: number, steps: number, minLr: number, maxLr: number): number {
  return minLr * (maxLr / minLr) ** (step / Math.max(1, steps - 1));
}

/** The test stops once the smoothed loss exceeds this multiple of its best (fastai's rule). */
export const divergenceFactor = 4;

/** fastai's smoothing: an exponential moving average of the batch losses, bias-corrected. */
export function smoothLosses(losses: readonly number[], beta = 0.98): number[] {
  let average = 0;
  return losses.map((loss, i) => {
    average = beta * average + (1 - beta) * loss;
    return average / (1 - beta ** (i + 1));
  });
}

/**
 * The range to sweep, read off the curve as fastai's lr_find does: from the rate where the
 * smoothed loss falls fastest (per log10 of the rate) up to the rate of its lowest value, after
 * which it rises towards divergence. When the two meet (a sharp dip), the range is the decade
 * below the minimum. The first and last tenth of the points are skipped for the slope, as fastai
 * does, since warm-up noise and divergence dominate there.
 */
export function suggestRange(points: readonly Omit<LrFindPoint, 'smoothed'>[]): Pick<LrFindResult, 'points' | 'steepest' | 'minimum' | 'suggested'> {
  const smoothed = smoothLosses(points.map((p) => p.loss));
  const withSmoothed = points.map((p, i) => ({ ...p, smoothed: smoothed[i]! }));
  const finite = withSmoothed.filter((p) => Number.isFinite(p.smoothed));
  if (finite.length < 5) return { points: withSmoothed, steepest: null, minimum: null, suggested: null };
  let lowest = finite[0]!;
  for (const p of finite) if (p.smoothed < lowest.smoothed) lowest = p;
  const skip = Math.floor(finite.length / 10);
  let steepest: { lr: number; slope: number } | null = null;
  for (let i = Math.max(1, skip); i < finite.length - skip; i += 1) {
    const [a, b] = [finite[i - 1]!, finite[i]!];
    if (b.lr > lowest.lr) break;
    const slope = (b.smoothed - a.smoothed) / (Math.log10(b.lr) - Math.log10(a.lr));
    if (slope < 0 && (!steepest || slope < steepest.slope)) steepest = { lr: b.lr, slope };
  }
  if (!steepest || lowest === finite[0]) return { points: withSmoothed, steepest: steepest?.lr ?? null, minimum: lowest.lr, suggested: null };
  const low = steepest.lr < lowest.lr / 1.5 ? steepest.lr : lowest.lr / 10;
  return { points: withSmoothed, steepest: steepest.lr, minimum: lowest.lr, suggested: [low, lowest.lr] };
}
