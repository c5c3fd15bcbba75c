import { TunebenchError } from '../../core/api/errors.js';
import type { Store } from '../../core/store/store.js';

/** The Store methods that write; the fault lands on the Nth call among them. */
const writeMethods = new Set<keyof Store>([
  'createStudy', 'setStudyStatus', 'updateStudy', 'createTrial', 'markTrialRunning',
  'heartbeat', 'appendMetrics', 'finishTrial', 'recoverStale', 'updateTrialNotes', 'upsertDataset',
  'acquireLease', 'renewLease', 'releaseLease', 'requestControl', 'putArtifact',
]);

export interface FaultPlan {
  /** 1-based index of the write that fails. */
  at: number;
  /** Every write from `at` on fails (a dead disk), or only that one (a transient error). */
  isPersistent: boolean;
  /** Only writes of this method count, when given. */
  method?: keyof Store;
  message?: string;
}

/**
 * Wraps a real store so its Nth write rejects with STORE_IO before reaching SQLite, as the
 * SQLite store does after a rolled-back SQLITE_FULL or SQLITE_IOERR. Reads pass through.
 */
export function faultyStore(inner: Store, plan: FaultPlan): { store: Store; injected: () => number } {
  let writes = 0;
  let injected = 0;
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const method = property as keyof Store;
      if (!writeMethods.has(method) || (plan.method && plan.method !== method)) return value.bind(target);
      return (...args: unknown[]) => {
        writes += 1;
        if (writes === plan.at || (plan.isPersistent && writes > plan.at)) {
          injected += 1;
          return Promise.reject(new TunebenchError('STORE_IO', plan.message ?? `injected I/O error at write ${writes} (${method})`));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, injected: () => injected };
}
