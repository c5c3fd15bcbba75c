import { describe, expect, it } from 'vitest';
import { makeTrial } from '../../tests/support/trialFixtures.js';
import { finishedTrialLine } from './progress.js';

describe('finishedTrialLine (the non-TTY progress line)', () => {
  it('says where a pruned trial stopped and its last value', () => {
    const pruned = makeTrial({ number: 2, state: 'pruned', value: 0.4321, epochsRun: 3, bestEpoch: null });
    expect(finishedTrialLine(pruned, 'val_loss')).toBe('trial #2 pruned at epoch 3, val_loss 0.4321 (wasm)');
  });

  it('keeps the complete and failed lines', () => {
    expect(finishedTrialLine(makeTrial({ number: 1, value: 0.9 }), 'val_accuracy')).toBe('trial #1 complete val_accuracy=0.9 (wasm)');
    const failed = makeTrial({ number: 4, state: 'failed', value: null, error: 'diverged: loss is NaN\nstack', backend: null });
    expect(finishedTrialLine(failed, 'val_loss')).toBe('trial #4 failed diverged: loss is NaN (?)');
  });
});
