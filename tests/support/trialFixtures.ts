import type { Trial } from '../../core/api/domain.js';

/** A complete trial with every field set, for unit tests to override. */
export function makeTrial(overrides: Partial<Trial> = {}): Trial {
  return {
    id: 1,
    studyId: 1,
    number: 0,
    params: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, lrSchedule: 'constant' },
    state: 'complete',
    value: 0.9,
    bestEpoch: 4,
    epochsRun: 5,
    startedAt: 1000,
    endedAt: 2000,
    durationMs: 1000,
    worker: 'w1',
    backend: 'wasm',
    backendNote: null,
    adapter: null,
    error: null,
    errorCode: null,
    retryOf: null,
    seed: 11,
    heartbeatAt: 2000,
    retries: 0,
    notes: '',
    tags: [],
    ...overrides,
  };
}
