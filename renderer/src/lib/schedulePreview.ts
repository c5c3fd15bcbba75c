import type { ScheduleName } from '../../../core/api/spec.js';

/** The schedule knobs the wizard sends with every spec, so the preview matches what trains. */
export interface ScheduleParams {
  /** exponential and step: multiply by this every decaySteps epochs. */
  decayRate: number;
  decaySteps: number;
  /** inverse-time: lr / (1 + decay * epoch). */
  decay: number;
  /** cosine: the floor as a fraction of the initial rate. */
  minLrFraction: number;
}

export const defaultScheduleParams: ScheduleParams = {
  decayRate: 0.5,
  decaySteps: 10,
  decay: 0.1,
  minLrFraction: 0,
};

/** Learning rate at `epoch` (from 0) of a run of `epochs` epochs. */
export function scheduleLr(
  name: ScheduleName,
  lr: number,
  epoch: number,
  epochs: number,
  params: ScheduleParams,
): number {
  const steps = Math.max(1, params.decaySteps);
  switch (name) {
    case 'constant':
      return lr;
    case 'exponential':
      return lr * params.decayRate ** (epoch / steps);
    case 'step':
      return lr * params.decayRate ** Math.floor(epoch / steps);
    case 'inverse-time':
      return lr / (1 + params.decay * epoch);
    case 'inverse-sqrt':
      return lr / Math.sqrt(1 + epoch);
    case 'cosine': {
      const floor = lr * params.minLrFraction;
      const progress = Math.min(1, epoch / Math.max(1, epochs));
      return floor + (lr - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
  }
}

/** The whole curve, one value per epoch. */
export function scheduleCurve(name: ScheduleName, lr: number, epochs: number, params: ScheduleParams): number[] {
  const count = Math.max(1, Math.floor(epochs));
  return Array.from({ length: count }, (_, epoch) => scheduleLr(name, lr, epoch, count, params));
}
