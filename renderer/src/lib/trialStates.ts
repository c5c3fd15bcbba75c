import type { TrialState } from '../../../core/api/domain.js';

/**
 * The trial states, in the contract's order. Listed here rather than imported: domain.ts's value
 * exports pull zod into the study page's bundle. trialStates.test.ts keeps the two lists equal.
 */
export const trialStateList = ['queued', 'running', 'complete', 'pruned', 'failed', 'cancelled'] as const satisfies readonly TrialState[];
