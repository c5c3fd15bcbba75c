import type { StudyOwner, Trial } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import { toTrial, type TrialRow } from './rowMappers.js';
import { recoverStaleSql } from './postgresQueries.js';
import type { Query } from './postgresSession.js';
import { leaseHeld } from './sqliteLease.js';
import type { ControlRequest, LeaseOwner } from './store.js';

// The lease rules of the Store contract (see sqliteLease.ts), inside the PostgreSQL store's write
// transactions; the caller holds the study row's lock, so acquirers of one study go one at a time.

export async function acquireLease(
  q: Query,
  studyId: number,
  owner: LeaseOwner,
  now: number,
  ttlMs: number,
  deadOwnerId?: string,
): Promise<{ owner: StudyOwner; staleTrials: Trial[] }> {
  const held = await q.one<{ owner_id: string; host: string; pid: number; expires_at: number }>(
    'SELECT owner_id, host, pid, expires_at FROM study_lease WHERE study_id = @studyId', { studyId },
  );
  if (held && held.owner_id !== owner.ownerId && held.expires_at > now && held.owner_id !== deadOwnerId) {
    throw leaseHeld(studyId, { host: held.host, pid: held.pid, expiresAt: held.expires_at }, now);
  }
  const isRenewal = held?.owner_id === owner.ownerId && held.expires_at > now;
  const expiresAt = now + ttlMs;
  await q.run(
    `INSERT INTO study_lease (study_id, owner_id, host, pid, acquired_at, heartbeat_at, expires_at)
     VALUES (@studyId, @ownerId, @host, @pid, @now, @now, @expiresAt)
     ON CONFLICT (study_id) DO UPDATE SET owner_id = excluded.owner_id, host = excluded.host, pid = excluded.pid,
       acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at`,
    { studyId, ownerId: owner.ownerId, host: owner.host, pid: owner.pid, now, expiresAt },
  );
  if (isRenewal) return { owner: { ...owner, heartbeatAt: now, expiresAt }, staleTrials: [] };
  // A request meant for the previous owner is not this one's to obey.
  await q.run('UPDATE study SET control_request = NULL WHERE id = @studyId', { studyId });
  const stale = (await q.all<TrialRow>(recoverStaleSql, { studyId, at: now })).map(toTrial);
  return { owner: { ...owner, heartbeatAt: now, expiresAt }, staleTrials: stale.sort((a, b) => a.number - b.number) };
}

export async function renewLease(q: Query, studyId: number, ownerId: string, now: number, ttlMs: number): Promise<{ request: ControlRequest | null }> {
  const renewed = await q.run(
    'UPDATE study_lease SET heartbeat_at = @now, expires_at = @expiresAt WHERE study_id = @studyId AND owner_id = @ownerId',
    { studyId, ownerId, now, expiresAt: now + ttlMs },
  );
  if (renewed === 0) {
    const held = await q.one<{ host: string; pid: number; expires_at: number }>('SELECT host, pid, expires_at FROM study_lease WHERE study_id = @studyId', { studyId });
    if (held) throw leaseHeld(studyId, { host: held.host, pid: held.pid, expiresAt: held.expires_at }, now);
    throw new TunebenchError('LEASE_HELD', `study ${studyId}: this process no longer holds its lease`);
  }
  const row = await q.one<{ control_request: string | null }>('SELECT control_request FROM study WHERE id = @studyId FOR UPDATE', { studyId });
  if (row?.control_request) await q.run('UPDATE study SET control_request = NULL WHERE id = @studyId', { studyId });
  return { request: (row?.control_request ?? null) as ControlRequest | null };
}
