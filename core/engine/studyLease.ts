import { TunebenchError } from '../api/errors.js';
import type { ControlRequest, LeaseOwner, Store } from '../store/store.js';

/** Signal 0 checks that a process exists; EPERM means it exists but is another user's. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lease outlives a few missed heartbeats, so a killed owner's study reads interrupted within ttl. */
export interface LeaseTiming {
  heartbeatMs: number;
  ttlMs: number;
}

export const defaultLeaseTiming: LeaseTiming = { heartbeatMs: 2_000, ttlMs: 10_000 };

/** One engine's hold on one study: taken once, renewed with the heartbeats, released at the end. */
export class StudyLease {
  private isHeld = false;
  readonly timing: LeaseTiming;

  constructor(
    private readonly store: Store,
    private readonly studyId: number,
    private readonly owner: LeaseOwner,
    timing: Partial<LeaseTiming> = {},
  ) {
    this.timing = { ...defaultLeaseTiming, ...timing };
  }

  /**
   * Rejects with LEASE_HELD naming the live owner; a dead owner's running trials turn stale, once.
   * An owner on this host whose process is gone is dead now, not after its lease runs out: `kill -9`
   * then `resume` works at once (a remote owner's death is known only by its expiry).
   */
  async acquire(): Promise<void> {
    if (this.isHeld) return;
    try {
      await this.store.acquireLease(this.studyId, this.owner, Date.now(), this.timing.ttlMs);
    } catch (error) {
      const held = error instanceof TunebenchError && error.code === 'LEASE_HELD' ? (await this.store.getStudy(this.studyId)).owner : null;
      if (!held || held.host !== this.owner.host || isProcessAlive(held.pid)) throw error;
      await this.store.acquireLease(this.studyId, this.owner, Date.now(), this.timing.ttlMs, held.ownerId);
    }
    this.isHeld = true;
  }

  /** Moves the expiry on; returns a pause/cancel another process asked for. Rejects LEASE_HELD if taken over. */
  async renew(): Promise<ControlRequest | null> {
    const { request } = await this.store.renewLease(this.studyId, this.owner.ownerId, Date.now(), this.timing.ttlMs);
    return request;
  }

  async release(): Promise<void> {
    await this.store.releaseLease(this.studyId, this.owner.ownerId).catch(() => {});
    this.isHeld = false;
  }
}
