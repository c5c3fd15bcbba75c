import { describe, expect, it } from 'vitest';
import { trialStates } from '../../../core/api/domain.js';
import { finishedCount } from '../../../core/api/progress.js';
import { trialStateList } from './trialStates.js';

describe('trialStateList', () => {
  it('matches the contract', () => {
    expect(trialStateList).toEqual(trialStates);
  });

  it('finishedCount counts complete, pruned and failed; never cancelled (resume runs it again), queued or running', () => {
    expect(finishedCount({ queued: 1, running: 2, complete: 3, pruned: 4, failed: 5, cancelled: 6 })).toBe(12);
  });
});
