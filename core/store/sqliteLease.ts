import type { StudyOwner, Trial } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import { toTrial } from './rowMappers.js';
import type { Statements } from './sqliteStatements.js';
import type { ControlRequest, LeaseOwner } from './store.js';

// The lease rules of the Store contract, run inside the SQLite store's write transactions.

/** The refusal a second process gets: it names who holds the study and until when. */
export function leaseHeld(studyId: number, owner: Pick<StudyOwner, 'host' | 'pid' | 'expiresAt'>, now: number): TunebenchError {
  const seconds = Math.max(1, Math.ceil((owner.expiresAt - now) / 1000));
  return new TunebenchError(
    'LEASE_HELD',
    `study ${studyId} is running in another process (host ${owner.host}, pid ${owner.pid}); ` +
      `pause or cancel it there, or wait: if that process is gone its lease expires within ${seconds} s`,
    [{ where: `study ${studyId}`, message: `owned by ${owner.host} pid ${owner.pid}` }],
  );
}

export function acquireLease(
  s: Statements,
  studyId: number,
  owner: LeaseOwner,
  now: number,
  ttlMs: number,
  deadOwnerId?: string,
): { owner: StudyOwner; staleTrials: Trial[] } {
  const held = s.leaseOf.get(studyId);
  if (held && held.owner_id !== owner.ownerId && held.expires_at > now && held.owner_id !== deadOwnerId) {
    throw leaseHeld(studyId, { host: held.host, pid: held.pid, expiresAt: held.expires_at }, now);
  }
  const isRenewal = held?.owner_id === owner.ownerId && held.expires_at > now;
  const expiresAt = now + ttlMs;
  s.putLease.run({ studyId, ...owner, now, expiresAt });
  // A request meant for the previous owner is not this one's to obey.
  if (!isRenewal) s.clearControlRequest.run(studyId);
  const staleTrials = isRenewal ? [] : s.recoverStale.all({ studyId, at: now }).map(toTrial).sort((a, b) => a.number - b.number);
  return { owner: { ...owner, heartbeatAt: now, expiresAt }, staleTrials };
}

export function renewLease(
  s: Statements,
  studyId: number,
  ownerId: string,
  now: number,
  ttlMs: number,
): { request: ControlRequest | null } {
  if (s.renewLease.run({ studyId, ownerId, now, expiresAt: now + ttlMs }).changes === 0) {
    const held = s.leaseOf.get(studyId);
    if (held) throw leaseHeld(studyId, { host: held.host, pid: held.pid, expiresAt: held.expires_at }, now);
    throw new TunebenchError('LEASE_HELD', `study ${studyId}: this process no longer holds its lease`);
  }
  const request = s.controlRequestOf.get(studyId)?.control_request ?? null;
  if (request) s.clearControlRequest.run(studyId);
  return { request: request as ControlRequest | null };
}
