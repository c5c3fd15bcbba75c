import type { Trial } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { TrialParams } from '../api/spec.js';
import { toTrial, type TrialRow } from './rowMappers.js';
import type { PostgresStore } from './postgresStore.js';
import { notFound } from './storeChecks.js';

// The queue of the shared store: workers on many machines claim queued trials, and any of them
// re-queues the trials of a worker that stopped beating. Both are single statements under row
// locks, so two workers never get one trial and a dead worker's trial is re-queued once.

/**
 * The worker column of a trial queued for any worker. Trials an in-process StudyRun creates
 * (worker NULL until it marks them running itself) are never claimed by remote workers.
 */
export const anyWorker = '(any worker)';

const insertQueued = `INSERT INTO trial (study_id, number, params, state, seed, retries, retry_of, worker)
  VALUES (@studyId, (SELECT coalesce(max(number), -1) + 1 FROM trial WHERE study_id = @studyId),
    @params, 'queued', @seed, @retries, @retryOf, '${anyWorker}') RETURNING *`;

/** The database server's clock in epoch ms: every machine's budget check reads this one clock. */
const serverNowMs = '(extract(epoch FROM now()) * 1000)';
const budgetLeft = `(s.budget_ends_at IS NULL OR ${serverNowMs} < s.budget_ends_at)`;

/** Queues a trial for any worker (the study owner's ask, or a retry); numbered as createTrial does. */
export function queueTrial(store: PostgresStore, studyId: number, params: TrialParams, seed: number, retries = 0, retryOf: number | null = null): Promise<Trial> {
  return store.session.write(async (q) => {
    await q.one('SELECT id FROM study WHERE id = @studyId FOR UPDATE', { studyId });
    const row = await q.one<TrialRow>(insertQueued, { studyId, params: JSON.stringify(params), seed, retries, retryOf });
    if (!row) throw new TunebenchError('INTERNAL', 'trial insert returned nothing');
    return toTrial(row);
  });
}

/**
 * Claims the oldest queued trial of a running study (of `studyId` when given) for `worker`: it
 * becomes `running` with its heartbeat set. `FOR UPDATE SKIP LOCKED`: concurrent claimers skip
 * each other's rows instead of waiting, and the outer `state = 'queued'` re-check makes a row
 * claimed between the scan and the update impossible to take twice. A study whose time budget
 * has ended (budget_ends_at, on the server's clock) has nothing to claim. Null when none is queued.
 */
export function claimTrial(store: PostgresStore, worker: string, at: number, studyId: number | null): Promise<Trial | null> {
  return store.session.write(async (q) => {
    const studyFilter = studyId === null ? '' : ' AND t.study_id = @studyId';
    const row = await q.one<TrialRow>(
      `UPDATE trial SET state = 'running', worker = @worker, started_at = @at, heartbeat_at = @at
       WHERE state = 'queued' AND id = (
         SELECT t.id FROM trial t JOIN study s ON s.id = t.study_id
         WHERE t.state = 'queued' AND t.worker = @any AND s.status = 'running'${studyFilter} AND ${budgetLeft}
         ORDER BY t.study_id, t.number FOR UPDATE OF t SKIP LOCKED LIMIT 1)
       RETURNING *`,
      studyId === null ? { worker, at, any: anyWorker } : { worker, at, any: anyWorker, studyId },
    );
    return row ? toTrial(row) : null;
  });
}

/** Queued or running trials left (of one study or of every running study): is there work ahead? */
export function openTrialCount(store: PostgresStore, studyId: number | null): Promise<number> {
  return store.session.read(async (q) => {
    const studyFilter = studyId === null ? '' : ' AND t.study_id = @studyId';
    const row = await q.one<{ n: number }>(
      `SELECT count(*) AS n FROM trial t JOIN study s ON s.id = t.study_id
       WHERE t.state IN ('queued', 'running') AND s.status = 'running'${studyFilter}`,
      studyId === null ? {} : { studyId },
    );
    return row?.n ?? 0;
  });
}

/**
 * Fails as `stale` (code STALE) every running trial of the study whose last heartbeat is older
 * than `before`, and queues a new attempt of each (retries + 1, retryOf the stale one) while its
 * retries are below `maxRetries`. One transaction: the UPDATE returns a row only to the one
 * transaction that changed it, so however many workers reap at once, each trial is re-queued once.
 */
export function requeueStale(store: PostgresStore, studyId: number, before: number, at: number, maxRetries: number): Promise<{ stale: Trial[]; requeued: Trial[] }> {
  return store.session.write(async (q) => {
    await q.one('SELECT id FROM study WHERE id = @studyId FOR UPDATE', { studyId }); // numbering, as createTrial
    const staleRows = await q.all<TrialRow>(
      `UPDATE trial SET state = 'failed', error = 'stale', error_code = 'STALE', ended_at = @at,
         duration_ms = CASE WHEN started_at IS NULL THEN NULL ELSE greatest(0, @at - started_at) END
       WHERE study_id = @studyId AND state = 'running' AND coalesce(heartbeat_at, started_at, 0) < @before
       RETURNING *`,
      { studyId, before, at },
    );
    const stale = staleRows.map(toTrial).sort((a, b) => a.number - b.number);
    const requeued: Trial[] = [];
    for (const trial of stale) {
      if (trial.retries >= maxRetries) continue;
      const row = await q.one<TrialRow>(insertQueued, {
        studyId, params: JSON.stringify(trial.params), seed: trial.seed, retries: trial.retries + 1, retryOf: trial.id });
      if (row) requeued.push(toTrial(row));
    }
    return { stale, requeued };
  });
}

/** Ids of the running studies with work for a worker (every study when `studyId` is null). */
export function studiesWithRunningTrials(store: PostgresStore, studyId: number | null): Promise<number[]> {
  return store.session.read(async (q) => {
    const rows = await q.all<{ id: number }>(
      `SELECT DISTINCT study_id AS id FROM trial WHERE state = 'running'${studyId === null ? '' : ' AND study_id = @studyId'}`,
      studyId === null ? {} : { studyId },
    );
    return rows.map((row) => row.id);
  });
}

/**
 * Starts the time budget of a queue run (spec limits.maxMinutes; none when undefined): it ends
 * `minutes` after now on the server's clock. Each run sets it afresh (resume grants a new budget,
 * as a one-process run does). Returns when it ends, in epoch ms on that clock, or null.
 */
export function startTimeBudget(store: PostgresStore, studyId: number, minutes: number | undefined): Promise<number | null> {
  return store.session.write(async (q) => {
    const row = await q.one<{ ends: number | null }>(
      `UPDATE study SET budget_ends_at = CASE WHEN @minutes::float8 IS NULL THEN NULL
         ELSE ceil(${serverNowMs} + @minutes::float8 * 60000)::bigint END
       WHERE id = @studyId RETURNING budget_ends_at AS ends`,
      { studyId, minutes: minutes ?? null },
    );
    if (!row) throw notFound(`study ${studyId}`);
    return row.ends;
  });
}

/** Whether the study's time budget has ended, on the server's clock (false without a budget). */
export function isTimeBudgetSpent(store: PostgresStore, studyId: number): Promise<boolean> {
  return store.session.read(async (q) => {
    const row = await q.one<{ spent: boolean }>(`SELECT NOT ${budgetLeft} AS spent FROM study s WHERE s.id = @studyId`, { studyId });
    return row?.spent ?? false;
  });
}

/**
 * Ends the study's unclaimed queued trials as cancelled (never started: no worker may claim them
 * once the budget is spent); resume runs each again, as after a user's cancel. Row locks make a
 * trial claimed meanwhile stay the claimer's. Returns how many were cancelled.
 */
export function cancelQueuedTrials(store: PostgresStore, studyId: number, at: number, error: string): Promise<number> {
  return store.session.write((q) => q.run(
    `UPDATE trial SET state = 'cancelled', error = @error, error_code = 'TRIAL_CANCELLED', ended_at = @at
     WHERE study_id = @studyId AND state = 'queued'`,
    { studyId, at, error },
  ));
}
