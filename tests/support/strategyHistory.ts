import type { TrialParams } from '../../core/api/spec.js';
import type { TrialSnapshot } from '../../core/strategies/strategy.js';

/** Test fixture (not used at run time): the history an engine passes after these trials were created. */
export function historyOf(params: readonly TrialParams[]): TrialSnapshot[] {
  return params.map((p, number) => Object.freeze({ number, params: p, state: 'complete' as const, value: 0.5 }));
}
