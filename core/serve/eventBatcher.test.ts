import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../api/contract.js';
import { studySummary } from '../../tests/support/fakeApi.js';
import { createEventBatcher, isContractCheckOn } from './eventBatcher.js';

describe('events at the transport edge', () => {
  it('are checked against the contract in development and tests, not in production', () => {
    expect(isContractCheckOn({ NODE_ENV: 'test' })).toBe(true);
    expect(isContractCheckOn({ NODE_ENV: 'development' })).toBe(true);
    expect(isContractCheckOn({ NODE_ENV: 'production' })).toBe(false);
    expect(isContractCheckOn({})).toBe(false);
  });

  it('refuse an event that breaks its schema, naming the field, and pass a good one', () => {
    const delivered: ApiEvent[][] = [];
    const batcher = createEventBatcher((batch) => delivered.push(batch), 0);
    const broken = { type: 'study', study: { ...studySummary(1), status: 'exploded' } } as unknown as ApiEvent;
    expect(() => batcher.push(broken)).toThrow(/\/study\/status/);
    const epochWithoutStudy = { type: 'epoch', trialId: 1, epoch: 0, metrics: {} } as unknown as ApiEvent;
    expect(() => batcher.push(epochWithoutStudy)).toThrow(/\/studyId/);
    batcher.push({ type: 'study', study: studySummary(1) });
    batcher.flush();
    expect(delivered).toEqual([[{ type: 'study', study: studySummary(1) }]]);
    batcher.close();
  });

  it('can be switched off, as in production', () => {
    const batcher = createEventBatcher(() => {}, 0, false);
    expect(() => batcher.push({ type: 'trial', trial: { id: 1 } } as unknown as ApiEvent)).not.toThrow();
    batcher.close();
  });
});
