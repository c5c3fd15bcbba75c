import { lrAt, lrCurve } from '../../../core/api/schedules.js';
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

/** Learning rate at `epoch` (from 0) of a run of `epochs` epochs: the trainer's own formula. */
export function scheduleLr(
  name: ScheduleName,
  lr: number,
  epoch: number,
  epochs: number,
  params: ScheduleParams,
): number {
  return lrAt({ ...params, learningRate: lr, lrSchedule: name }, epoch, epochs);
}

/** The whole curve, one value per epoch; empty when the knobs are invalid (the form says why). */
export function scheduleCurve(name: ScheduleName, lr: number, epochs: number, params: ScheduleParams): number[] {
  try {
    return lrCurve({ ...params, learningRate: lr, lrSchedule: name }, epochs);
  } catch {
    return [];
  }
}
