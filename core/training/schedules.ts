import type { TrialParams } from '../api/spec.js';
import { TunebenchError } from '../api/errors.js';

/** Defaults used when a schedule's parameter is absent from the trial's params. */
export const scheduleDefaults = {
  exponential: { decayRate: 0.96, decaySteps: 1 },
  step: { decayRate: 0.5, decaySteps: 10 },
  inverseTime: { decay: 0.1 },
  cosine: { minLrFraction: 0 },
} as const;

function positiveSteps(steps: number): number {
  if (!(steps > 0)) {
    throw new TunebenchError('ARGUMENT_INVALID', `decaySteps must be above 0, got ${steps}`, [
      { where: '/space/decaySteps', message: 'must be above 0' },
    ]);
  }
  return steps;
}

/**
 * The learning rate for an epoch (counted from 0) of a trial running `epochs` epochs. Pure: the
 * trainer applies it to the live optimizer at the start of each epoch.
 *
 * constant     lr
 * exponential  lr * decayRate^(epoch / decaySteps)
 * step         lr * decayRate^floor(epoch / decaySteps)
 * inverse-time lr / (1 + decay * epoch)
 * inverse-sqrt lr / sqrt(1 + epoch)
 * cosine       minLr + (lr - minLr) * 0.5 * (1 + cos(pi * epoch / epochs)), minLr = lr * minLrFraction
 */
export function lrAt(params: TrialParams, epoch: number, epochs: number): number {
  const lr = params.learningRate;
  switch (params.lrSchedule) {
    case 'constant':
      return lr;
    case 'exponential': {
      const rate = params.decayRate ?? scheduleDefaults.exponential.decayRate;
      const steps = positiveSteps(params.decaySteps ?? scheduleDefaults.exponential.decaySteps);
      return lr * Math.pow(rate, epoch / steps);
    }
    case 'step': {
      const rate = params.decayRate ?? scheduleDefaults.step.decayRate;
      const steps = positiveSteps(params.decaySteps ?? scheduleDefaults.step.decaySteps);
      return lr * Math.pow(rate, Math.floor(epoch / steps));
    }
    case 'inverse-time':
      return lr / (1 + (params.decay ?? scheduleDefaults.inverseTime.decay) * epoch);
    case 'inverse-sqrt':
      return lr / Math.sqrt(1 + epoch);
    case 'cosine': {
      const minLr = lr * (params.minLrFraction ?? scheduleDefaults.cosine.minLrFraction);
      return minLr + (lr - minLr) * 0.5 * (1 + Math.cos((Math.PI * epoch) / Math.max(epochs, 1)));
    }
  }
}
