import type { ControlRequest, LeaseOwner, Store } from '../store/store.js';

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

  /** Rejects with LEASE_HELD naming the live owner; a dead owner's running trials turn stale, once. */
  async acquire(): Promise<void> {
    if (this.isHeld) return;
    await this.store.acquireLease(this.studyId, this.owner, Date.now(), this.timing.ttlMs);
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
