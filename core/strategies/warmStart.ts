import type { Study, Trial } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { StudySpec } from '../api/spec.js';
import type { Dimension } from '../space/dimensions.js';
import { spaceDimensions } from '../space/dimensions.js';
import type { TrialSnapshot } from './strategy.js';

/**
 * Whether an old study's trials may seed a new study's TPE. Compatible means:
 * - the same objective metric and direction (values are compared as they are);
 * - the same parameter dimensions by name (a dimension is a parameter the space varies or fixes);
 * - each of the same kind: categorical with categorical, numeric with numeric on the same scale
 *   (log or linear) and the same integer-ness.
 * Ranges and choice lists may differ: old trials whose values fall outside the new space are
 * left out (so narrowing a range around the good region is the intended use). The dataset may
 * differ (a refreshed CSV); the person vouches that the old values still say something.
 * Returns every issue, empty when compatible.
 */
export function warmStartIssues(oldStudy: Study, spec: StudySpec): string[] {
  const issues: string[] = [];
  const { objective } = spec;
  if (oldStudy.objective.metric !== objective.metric || oldStudy.objective.direction !== objective.direction) {
    issues.push(`objective ${oldStudy.objective.direction} ${oldStudy.objective.metric} differs from ${objective.direction} ${objective.metric}`);
  }
  const before = new Map(spaceDimensions(oldStudy.spec.space).map((d) => [d.name, d]));
  const after = spaceDimensions(spec.space);
  for (const dimension of after) {
    const old = before.get(dimension.name);
    if (!old) issues.push(`parameter ${dimension.name} is not in its space`);
    else if (kindOf(old) !== kindOf(dimension)) issues.push(`parameter ${dimension.name} is ${kindOf(old)} there but ${kindOf(dimension)} here`);
  }
  for (const name of before.keys()) if (!after.some((d) => d.name === name)) issues.push(`parameter ${name} is not in this space`);
  return issues;
}

function kindOf(dimension: Dimension): string {
  if (dimension.kind === 'categorical') return 'categorical';
  return `${dimension.isLog ? 'log-scale' : 'linear'} ${dimension.integer ? 'integer' : 'real'}`;
}

/** Refuses (ARGUMENT_INVALID naming search/warmStart) unless the old study is compatible. */
export function checkWarmStart(oldStudy: Study, spec: StudySpec): void {
  const issues = warmStartIssues(oldStudy, spec);
  if (issues.length === 0) return;
  throw new TunebenchError(
    'ARGUMENT_INVALID',
    `cannot warm-start from study ${oldStudy.name}: ${issues.join('; ')}`,
    issues.map((message) => ({ where: '/search/warmStart', message })),
  );
}

/** Whether a value lies in a new dimension (old trials outside the new space are left out). */
function fits(dimension: Dimension, value: unknown): boolean {
  if (dimension.kind === 'categorical') return dimension.values.includes(value as string | number);
  return typeof value === 'number' && value >= dimension.low && value <= dimension.high;
}

/**
 * The old study's complete and pruned trials inside the new space, as history the new study's
 * TPE fits on. They are numbered below 0 (older than every new trial) and never asked again.
 */
export function warmStartHistory(trials: readonly Trial[], spec: StudySpec): TrialSnapshot[] {
  const dimensions = spaceDimensions(spec.space);
  const usable = trials.filter((t) => (t.state === 'complete' || t.state === 'pruned') && t.value !== null && Number.isFinite(t.value));
  const inside = usable.filter((t) => dimensions.every((d) => {
    const value = (t.params as unknown as Record<string, unknown>)[d.name];
    return value === undefined || fits(d, value);
  }));
  return inside.map((t, index) => Object.freeze({
    number: index - inside.length,
    params: Object.freeze({ ...t.params }),
    state: t.state,
    value: t.value,
    epochsRun: t.epochsRun,
  }));
}
