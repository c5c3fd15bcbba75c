import { describe, expect, it } from 'vitest';
import { finishedTrial, completed, sampleParams, sampleStudy, useStore, type OpenStore } from '../storeFixtures.js';

const alice = { ownerId: 'owner-a', host: 'host-a', pid: 111 };
const bob = { ownerId: 'owner-b', host: 'host-b', pid: 222 };
const ttl = 10_000;

/** One owner per study: lease acquire/renew/release, takeover, interrupted, control requests. */
export function describeLeaseContract(open: OpenStore): void {
  describe('study leases', () => {
    const store = useStore(open);
    const newStudy = async (name = 'leased') => (await store().createStudy(sampleStudy(name))).id;

    it('a live lease refuses another owner with LEASE_HELD naming host and pid; its owner renews', async () => {
      const id = await newStudy();
      const { owner } = await store().acquireLease(id, alice, 1_000, ttl);
      expect(owner).toEqual({ ...alice, heartbeatAt: 1_000, expiresAt: 11_000 });
      const refusal = store().acquireLease(id, bob, 5_000, ttl);
      await expect(refusal).rejects.toMatchObject({ code: 'LEASE_HELD', message: expect.stringMatching(/host-a.*pid 111/) });
      await expect(store().renewLease(id, alice.ownerId, 9_000, ttl)).resolves.toEqual({ request: null });
      await expect(store().acquireLease(id, bob, 15_000, ttl)).rejects.toMatchObject({ code: 'LEASE_HELD' });
      await expect(store().acquireLease(id, alice, 15_000, ttl)).resolves.toMatchObject({ staleTrials: [] });
      await expect(store().renewLease(id, bob.ownerId, 15_000, ttl)).rejects.toMatchObject({ code: 'LEASE_HELD' });
      await expect(store().acquireLease(99_999, alice, 1, ttl)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('a live lease of an owner the caller saw die (deadOwnerId) is taken over at once, and only that one', async () => {
      const id = await newStudy();
      await store().acquireLease(id, alice, 1_000, ttl);
      const trial = await store().createTrial(id, sampleParams(), 1);
      await store().markTrialRunning(trial.id, 'w0', 1_500);
      await expect(store().acquireLease(id, bob, 2_000, ttl, 'someone-else')).rejects.toMatchObject({ code: 'LEASE_HELD' });
      const { owner, staleTrials } = await store().acquireLease(id, bob, 2_000, ttl, alice.ownerId);
      expect(owner).toMatchObject({ ownerId: bob.ownerId, expiresAt: 12_000 });
      expect(staleTrials.map((stale) => [stale.id, stale.errorCode])).toEqual([[trial.id, 'STALE']]);
      // Bob's live lease is not Alice's to name as dead.
      await expect(store().acquireLease(id, alice, 3_000, ttl, alice.ownerId)).rejects.toMatchObject({ code: 'LEASE_HELD' });
    });

    it('a running study whose lease expired reads interrupted, with no owner; a live one shows its owner', async () => {
      const id = await newStudy();
      const now = Date.now();
      await store().acquireLease(id, alice, now, ttl);
      expect(await store().getStudy(id)).toMatchObject({ status: 'running', owner: { host: 'host-a', pid: 111 } });
      await store().acquireLease(id, alice, now - 2 * ttl, ttl); // the same owner, renewed long ago
      expect(await store().getStudy(id)).toMatchObject({ status: 'interrupted', owner: null });
      expect((await store().listStudies())[0]).toMatchObject({ status: 'interrupted' });
      await store().setStudyStatus(id, 'done');
      expect(await store().summarizeStudy(id)).toMatchObject({ status: 'done', owner: null });
    });

    it('taking over an expired lease fails its running and queued trials as stale exactly once', async () => {
      const id = await newStudy();
      await store().acquireLease(id, alice, 1_000, ttl);
      const done = await finishedTrial(store(), id, completed(0.5));
      const running = await store().createTrial(id, sampleParams(), 2);
      await store().markTrialRunning(running.id, 'w0', 2_000);
      const queued = await store().createTrial(id, sampleParams(), 3);
      const [first, second] = await Promise.allSettled([
        store().acquireLease(id, bob, 20_000, ttl),
        store().acquireLease(id, { ...bob, ownerId: 'owner-c' }, 20_000, ttl),
      ]);
      expect(first).toMatchObject({ status: 'fulfilled' });
      expect(second).toMatchObject({ status: 'rejected', reason: { code: 'LEASE_HELD' } });
      const stale = first.status === 'fulfilled' ? first.value.staleTrials : [];
      expect(stale.map((t) => [t.id, t.state, t.errorCode])).toEqual([
        [running.id, 'failed', 'STALE'],
        [queued.id, 'failed', 'STALE'],
      ]);
      expect((await store().acquireLease(id, bob, 21_000, ttl)).staleTrials).toEqual([]);
      expect(await store().getTrial(done.id)).toMatchObject({ state: 'complete', value: 0.5 });
    });

    it('releaseLease frees the study for another owner and ignores a non-owner', async () => {
      const id = await newStudy();
      await store().acquireLease(id, alice, 1_000, ttl);
      await store().releaseLease(id, bob.ownerId);
      await expect(store().acquireLease(id, bob, 2_000, ttl)).rejects.toMatchObject({ code: 'LEASE_HELD' });
      await store().releaseLease(id, alice.ownerId);
      await expect(store().acquireLease(id, bob, 2_000, ttl)).resolves.toMatchObject({ owner: { ownerId: 'owner-b' } });
    });

    it('a control request reaches the owner at its next renewal, once; cancel is not downgraded to pause', async () => {
      const id = await newStudy();
      await store().acquireLease(id, alice, 1_000, ttl);
      await store().requestControl(id, 'cancel');
      await store().requestControl(id, 'pause');
      expect(await store().renewLease(id, alice.ownerId, 2_000, ttl)).toEqual({ request: 'cancel' });
      expect(await store().renewLease(id, alice.ownerId, 3_000, ttl)).toEqual({ request: null });
      await store().requestControl(id, 'pause');
      expect(await store().renewLease(id, alice.ownerId, 4_000, ttl)).toEqual({ request: 'pause' });
      await expect(store().requestControl(99_999, 'pause')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('counts each planned trial once: an attempt re-run by another (retryOf) is not counted', async () => {
      const id = await newStudy();
      const crashed = await finishedTrial(store(), id, { ...completed(null), state: 'failed', error: 'crashed(SIGKILL)', errorCode: 'TRIAL_CRASHED' });
      expect(crashed).toMatchObject({ errorCode: 'TRIAL_CRASHED', retryOf: null });
      const retry = await store().createTrial(id, crashed.params, crashed.seed, 1, crashed.id);
      expect(retry).toMatchObject({ retries: 1, retryOf: crashed.id });
      const summary = await store().summarizeStudy(id);
      expect(summary.counts).toMatchObject({ failed: 0, queued: 1 });
      expect((await store().listStudies())[0]?.counts).toMatchObject({ failed: 0, queued: 1 });
      expect((await store().listTrials(id)).total).toBe(2);
    });

    it('stores cancelled trials and studies; a pruned trial keeps its value', async () => {
      const id = await newStudy();
      const cancelled = await finishedTrial(store(), id, { ...completed(null), state: 'cancelled', error: 'cancelled', errorCode: 'TRIAL_CANCELLED' });
      expect(cancelled).toMatchObject({ state: 'cancelled', errorCode: 'TRIAL_CANCELLED' });
      const pruned = await finishedTrial(store(), id, { ...completed(0.7), state: 'pruned' });
      expect(pruned).toMatchObject({ state: 'pruned', value: 0.7 });
      expect(await store().summarizeStudy(id)).toMatchObject({ counts: { cancelled: 1, pruned: 1 }, bestValue: null });
      await store().setStudyStatus(id, 'cancelled', 'cancelled by user');
      expect(await store().getStudy(id)).toMatchObject({ status: 'cancelled' });
    });

  });
}
