import { describe, expect, it } from 'vitest';
import { trialStates } from '../../../core/api/domain.js';
import { trialStateList } from './trialStates.js';

describe('trialStateList', () => {
  it('matches the contract', () => {
    expect(trialStateList).toEqual(trialStates);
  });
});
