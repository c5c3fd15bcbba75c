import type { OptimizerName, ScheduleName, SpaceSpec } from '../api/spec.js';

/** The hyperparameters that exist only under one optimizer or schedule. */
export const conditionalNames = ['momentum', 'decayRate', 'decaySteps', 'decay', 'minLrFraction'] as const;
export type ConditionalName = (typeof conditionalNames)[number];

/** Which parent a conditional parameter hangs under, its default per parent value and its bounds. */
export interface ConditionalParam {
  readonly name: ConditionalName;
  readonly parent: 'optimizer' | 'lrSchedule';
  /** Parent values under which the parameter applies, each with the value used when not given. */
  readonly defaults: Readonly<Partial<Record<OptimizerName | ScheduleName, number>>>;
  readonly min: number;
  readonly max: number;
  /** True when the low bound itself is not allowed. */
  readonly minExclusive: boolean;
  /** decaySteps counts epochs: grid points and samples are rounded to whole numbers. */
  readonly integer: boolean;
  readonly meaning: string;
}

/**
 * The table every part of core/space reads, in grid order (inner loops after lrSchedule).
 * Defaults follow Keras/tfjs conventions: momentum 0.9, exponential 0.96 per epoch, step
 * halving every 10 epochs.
 */
export const conditionalParams: readonly ConditionalParam[] = [
  {
    name: 'momentum',
    parent: 'optimizer',
    defaults: { momentum: 0.9, nesterov: 0.9 },
    min: 0,
    max: 1,
    minExclusive: false,
    integer: false,
    meaning: 'momentum applies only to the momentum and nesterov optimizers',
  },
  {
    name: 'decayRate',
    parent: 'lrSchedule',
    defaults: { exponential: 0.96, step: 0.5 },
    min: 0,
    max: 1,
    minExclusive: true,
    integer: false,
    meaning: 'decayRate applies only to the exponential and step schedules',
  },
  {
    name: 'decaySteps',
    parent: 'lrSchedule',
    defaults: { exponential: 1, step: 10 },
    min: 1,
    max: 1_000_000,
    minExclusive: false,
    integer: true,
    meaning: 'decaySteps applies only to the exponential and step schedules',
  },
  {
    name: 'decay',
    parent: 'lrSchedule',
    defaults: { 'inverse-time': 0.1 },
    min: 0,
    max: 1_000_000,
    minExclusive: false,
    integer: false,
    meaning: 'decay applies only to the inverse-time schedule',
  },
  {
    name: 'minLrFraction',
    parent: 'lrSchedule',
    defaults: { cosine: 0 },
    min: 0,
    max: 1,
    minExclusive: false,
    integer: false,
    meaning: 'minLrFraction applies only to the cosine schedule',
  },
];

/** The conditional parameters that apply under one optimizer and one schedule, in grid order. */
export function applicableParams(optimizer: OptimizerName, schedule: ScheduleName): ConditionalParam[] {
  return conditionalParams.filter((param) => defaultUnder(param, param.parent === 'optimizer' ? optimizer : schedule) !== undefined);
}

/** The default of `param` under one parent value, or undefined when it does not apply there. */
export function defaultUnder(param: ConditionalParam, parentValue: string): number | undefined {
  return (param.defaults as Readonly<Record<string, number>>)[parentValue];
}

/** The names a parent domain (optimizer or lrSchedule) allows, distinct, in the order written. */
export function parentChoices(space: SpaceSpec, parent: 'optimizer'): OptimizerName[];
export function parentChoices(space: SpaceSpec, parent: 'lrSchedule'): ScheduleName[];
export function parentChoices(space: SpaceSpec, parent: 'optimizer' | 'lrSchedule'): string[];
export function parentChoices(space: SpaceSpec, parent: 'optimizer' | 'lrSchedule'): string[] {
  const domain = space[parent];
  const names: readonly string[] = typeof domain === 'string' ? [domain] : domain.choice;
  return [...new Set(names)];
}
