import type { MetricPoint, TrialState } from '../api/domain.js';
import { trialStates } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';

// Small guards shared by Store implementations, so each maps input faults to the same codes.

export function notFound(what: string): TunebenchError {
  return new TunebenchError('NOT_FOUND', `${what} not found`);
}

export function nameTaken(name: string): TunebenchError {
  return new TunebenchError('CONFLICT', `a study named "${name}" already exists`, [
    { where: '/name', message: 'name taken' },
  ]);
}

/** Metric points must have a whole epoch >= 0 and a name; finishTrial's belong to its trial. */
export function checkPoints(points: readonly MetricPoint[], trialId?: number): void {
  for (const p of points) {
    if (!Number.isInteger(p.epoch) || p.epoch < 0 || p.name === '' || typeof p.value !== 'number') {
      throw new TunebenchError('ARGUMENT_INVALID', `bad metric point ${JSON.stringify(p)}`);
    }
    if (trialId !== undefined && p.trialId !== trialId) {
      throw new TunebenchError('ARGUMENT_INVALID', `metric point of trial ${p.trialId} given to trial ${trialId}`);
    }
  }
}

/** A finite objective stays; NaN and ±Infinity become null (policy: they never rank). */
export function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}

export function emptyCounts(): Record<TrialState, number> {
  return Object.fromEntries(trialStates.map((s) => [s, 0])) as Record<TrialState, number>;
}

/** Tags patch as stored JSON; undefined leaves the column as it is. */
export function jsonOrNull(value: readonly string[] | undefined): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
