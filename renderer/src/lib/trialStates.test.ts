import { describe, expect, it } from 'vitest';
import { trialStates } from '../../../core/api/domain.js';
import { finishedTrials, trialStateList } from './trialStates.js';

describe('trialStateList', () => {
  it('matches the contract', () => {
    expect(trialStateList).toEqual(trialStates);
  });

  it('finishedTrials counts every ended state, cancelled too, and never queued or running', () => {
    expect(finishedTrials({ queued: 1, running: 2, complete: 3, pruned: 4, failed: 5, cancelled: 6 })).toBe(18);
  });
});
