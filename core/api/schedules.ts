import { TunebenchError } from './errors.js';
import type { ScheduleName, TrialParams } from './spec.js';

/**
 * The learning-rate schedules, once: the trainer (core/training), the wizard's preview (renderer)
 * and the exported TS program (bundled from the trainer) all call lrAt. Pure and portable.
 */

/** Defaults used when a schedule's parameter is absent from the trial's params. */
export const scheduleDefaults = {
  exponential: { decayRate: 0.96, decaySteps: 1 },
  step: { decayRate: 0.5, decaySteps: 10 },
  inverseTime: { decay: 0.1 },
  cosine: { minLrFraction: 0 },
} as const;

/** What a schedule reads from a trial's params. */
export type ScheduleParams = Pick<TrialParams, 'learningRate' | 'lrSchedule' | 'decayRate' | 'decaySteps' | 'decay' | 'minLrFraction'>;

/** Schedules whose rate at an epoch depends on how many epochs the run has (its horizon). */
export function scheduleUsesHorizon(name: ScheduleName): boolean {
  return name === 'cosine';
}

function positiveSteps(steps: number): number {
  if (!(steps > 0)) {
    throw new TunebenchError('ARGUMENT_INVALID', `decaySteps must be above 0, got ${steps}`, [
      { where: '/space/decaySteps', message: 'must be above 0' },
    ]);
  }
  return steps;
}

/**
 * The learning rate for an epoch (counted from 0) of a trial running `epochs` epochs; the
 * trainer applies it to the live optimizer at the start of each epoch.
 *
 * constant     lr
 * exponential  lr * decayRate^(epoch / decaySteps)
 * step         lr * decayRate^floor(epoch / decaySteps)
 * inverse-time lr / (1 + decay * epoch)
 * inverse-sqrt lr / sqrt(1 + epoch)
 * cosine       minLr + (lr - minLr) * 0.5 * (1 + cos(pi * epoch / epochs)), minLr = lr * minLrFraction
 */
export function lrAt(params: ScheduleParams, epoch: number, epochs: number): number {
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

/** The rate of every epoch of a run of `epochs` epochs (the wizard's preview curve). */
export function lrCurve(params: ScheduleParams, epochs: number): number[] {
  const count = Math.max(1, Math.floor(epochs));
  return Array.from({ length: count }, (_, epoch) => lrAt(params, epoch, count));
}
