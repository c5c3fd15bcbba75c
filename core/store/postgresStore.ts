import type { DatasetInfo, MetricPoint, Study, StudyOwner, StudyStatus, StudySummary, Trial, TrialState } from '../api/domain.js';
import { finishedStates } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { StudySpec, TrialParams } from '../api/spec.js';
import { fromNewStudy, toDataset, toMetricPoint, toStudy, toTrial, type StudyRow, type TrialRow } from './rowMappers.js';
import type { ChangeMark, ControlRequest, HistoryColumns, HistoryRow, LeaseOwner, NewStudy, Store, TrialQuery, TrialResult } from './store.js';
import { acquireLease, renewLease } from './postgresLease.js';
import { checkPoints, emptyCounts, finiteOrNull, jsonOrNull, nameTaken, notFound } from './storeChecks.js';
import { createPool, migratePostgres, toPgStoreError } from './postgresConnection.js';
import { historySql, historyValuesSql, latestAttempt, recoverStaleSql, studyWithLease, trialPageSql } from './postgresQueries.js';
import { PgSession, type Query } from './postgresSession.js';
import { datasetBlobCapBytes, getDatasetBlob, putDatasetBlob } from './postgresDatasets.js';

export interface PostgresStoreOptions {
  now?: () => number;
  /** How long a call keeps retrying while the server is unreachable (restart, network), in ms. */
  retryForMs?: number;
  poolSize?: number;
  /** Largest CSV kept in the database for other machines (default datasetBlobCapBytes). */
  datasetBlobCapBytes?: number;
}

/**
 * Opens the shared PostgreSQL store at `url` (postgres://user@host:port/db), applying
 * migrations/postgres first. Same contract as the SQLite store (core/store/store.ts); every write
 * is one transaction; a call that loses the server retries with back-off for `retryForMs`.
 * Trial files (saved weights) are not kept: artifactRoot is null (they live on the machine that
 * trained them).
 */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const pool = createPool(url, opts.poolSize);
  try {
    await migratePostgres(pool, url);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw toPgStoreError(error, url);
  }
  return new PostgresStore(new PgSession(pool, url, opts.retryForMs ?? 120_000), opts.now ?? Date.now, opts.datasetBlobCapBytes ?? datasetBlobCapBytes);
}

export class PostgresStore implements Store {
  readonly artifactRoot: string | null = null;

  constructor(
    readonly session: PgSession,
    private readonly now: () => number,
    readonly blobCapBytes: number = datasetBlobCapBytes,
  ) {}

  private async studyRow(q: Query, studyId: number, lock = false): Promise<StudyRow> {
    const row = lock
      ? await q.one<StudyRow>('SELECT * FROM study WHERE id = @id FOR UPDATE', { id: studyId })
      : await q.one<StudyRow>(`${studyWithLease} WHERE study.id = @id`, { id: studyId });
    if (!row) throw notFound(`study ${studyId}`);
    return row;
  }

  /** Rejects unknown trials and finished ones (never written again but for notes and tags). */
  private async unfinishedTrials(q: Query, trialIds: readonly number[]): Promise<void> {
    const unique = [...new Set(trialIds)];
    const rows = await q.all<{ id: number; state: string }>('SELECT id, state FROM trial WHERE id = ANY(@ids) FOR UPDATE', { ids: unique });
    if (rows.length < unique.length) {
      const known = new Set(rows.map((r) => r.id));
      throw notFound(`trial ${unique.find((id) => !known.has(id))}`);
    }
    const done = rows.find((r) => finishedStates.has(r.state as TrialState));
    if (done) throw new TunebenchError('CONFLICT', `trial ${done.id} is already ${done.state}`);
  }

  private async putPoints(q: Query, points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return;
    // NaN is stored as NULL, as SQLite does, so both stores sort a diverged point last.
    await q.run(
      `INSERT INTO trial_metric (trial_id, name, epoch, value)
       SELECT * FROM unnest(@ids::bigint[], @names::text[], @epochs::int[], @values::float8[])
       ON CONFLICT (trial_id, name, epoch) DO UPDATE SET value = excluded.value`,
      {
        ids: points.map((p) => p.trialId),
        names: points.map((p) => p.name),
        epochs: points.map((p) => p.epoch),
        values: points.map((p) => (Number.isNaN(p.value) ? null : p.value)),
      },
    );
    const epochs = new Map<number, number>();
    for (const p of points) epochs.set(p.trialId, Math.max(epochs.get(p.trialId) ?? 0, p.epoch + 1));
    for (const [id, count] of epochs) {
      await q.run(`UPDATE trial SET epochs_run = greatest(epochs_run, @count) WHERE id = @id AND state IN ('queued', 'running')`, { id, count });
    }
  }

  private async summary(q: Query, row: StudyRow, counts: Record<TrialState, number>): Promise<StudySummary> {
    const order = row.direction === 'maximize' ? 'DESC' : 'ASC';
    const best = await q.one<{ number: number; value: number }>(
      `SELECT number, value FROM trial WHERE study_id = @id AND state = 'complete' AND value IS NOT NULL
       ORDER BY value ${order}, number ASC LIMIT 1`,
      { id: row.id },
    );
    return { ...toStudy(row, this.now()), counts, bestValue: best?.value ?? null, bestTrialNumber: best?.number ?? null };
  }

  createStudy(input: NewStudy): Promise<Study> {
    return this.session.write(async (q) => {
      if (await q.one('SELECT id FROM study WHERE name = @name', { name: input.name })) throw nameTaken(input.name);
      const now = this.now();
      await this.putDataset(q, input.dataset, now);
      const row = await q.one<StudyRow>(
        `INSERT INTO study (name, spec, objective_metric, direction, strategy, status, planned_trials,
           dataset_fingerprint, dataset_name, app_version, created_at, updated_at)
         VALUES (@name, @spec, @metric, @direction, @strategy, 'running', @planned,
           @fingerprint, @datasetName, @appVersion, @now, @now) RETURNING *`,
        fromNewStudy(input, now),
      );
      if (!row) throw new TunebenchError('INTERNAL', 'study insert returned nothing');
      return toStudy(row);
    });
  }

  getStudy(studyRef: number | string): Promise<Study> {
    return this.session.read(async (q) => {
      const byId = (id: number) => q.one<StudyRow>(`${studyWithLease} WHERE study.id = @id`, { id });
      let row: StudyRow | null;
      if (typeof studyRef === 'number') row = Number.isSafeInteger(studyRef) ? await byId(studyRef) : null;
      else {
        row = await q.one<StudyRow>(`${studyWithLease} WHERE study.name = @name`, { name: studyRef });
        if (!row && /^\d{1,15}$/.test(studyRef)) row = await byId(Number(studyRef));
      }
      if (!row) throw notFound(`study ${JSON.stringify(studyRef)}`);
      return toStudy(row, this.now());
    });
  }

  listStudies(): Promise<StudySummary[]> {
    return this.session.read(async (q) => {
      const counts = new Map<number, Record<TrialState, number>>();
      const all = await q.all<{ study_id: number; state: string; n: number }>(
        `SELECT study_id, state, count(*) AS n FROM trial WHERE ${latestAttempt} GROUP BY study_id, state`,
        {},
      );
      for (const c of all) {
        let entry = counts.get(c.study_id);
        if (!entry) counts.set(c.study_id, (entry = emptyCounts()));
        entry[c.state as TrialState] = c.n;
      }
      const rows = await q.all<StudyRow>(`${studyWithLease} ORDER BY study.id DESC`, {});
      return Promise.all(rows.map((row) => this.summary(q, row, counts.get(row.id) ?? emptyCounts())));
    });
  }

  summarizeStudy(studyId: number): Promise<StudySummary> {
    return this.session.read(async (q) => {
      const row = await this.studyRow(q, studyId);
      const counts = emptyCounts();
      const all = await q.all<{ state: string; n: number }>(
        `SELECT state, count(*) AS n FROM trial WHERE study_id = @id AND ${latestAttempt} GROUP BY state`,
        { id: studyId },
      );
      for (const c of all) counts[c.state as TrialState] = c.n;
      return this.summary(q, row, counts);
    });
  }

  setStudyStatus(studyId: number, status: StudyStatus, reason: string | null = null): Promise<void> {
    return this.session.write(async (q) => {
      const changed = await q.run('UPDATE study SET status = @status, status_reason = @reason, updated_at = @now WHERE id = @id', {
        status, reason, now: this.now(), id: studyId,
      });
      if (changed === 0) throw notFound(`study ${studyId}`);
    });
  }

  updateStudy(studyId: number, patch: { name?: string; notes?: string; tags?: string[]; spec?: StudySpec; plannedTrials?: number }): Promise<Study> {
    return this.session.write(async (q) => {
      await this.studyRow(q, studyId, true);
      if (patch.name !== undefined) {
        const holder = await q.one<{ id: number; name: string }>('SELECT id, name FROM study WHERE name = @name', { name: patch.name });
        if (holder && holder.id !== studyId) throw nameTaken(holder.name);
      }
      await q.run(
        `UPDATE study SET name = coalesce(@name, name), notes = coalesce(@notes, notes),
           tags = coalesce(@tags, tags), spec = coalesce(@spec, spec), planned_trials = coalesce(@planned, planned_trials),
           updated_at = @now WHERE id = @id`,
        {
          id: studyId, name: patch.name ?? null, notes: patch.notes ?? null, tags: jsonOrNull(patch.tags),
          spec: patch.spec === undefined ? null : JSON.stringify(patch.spec), planned: patch.plannedTrials ?? null, now: this.now(),
        },
      );
      return toStudy(await this.studyRow(q, studyId), this.now());
    });
  }

  deleteStudy(studyId: number): Promise<void> {
    return this.session.write(async (q) => {
      if ((await q.run('DELETE FROM study WHERE id = @id', { id: studyId })) === 0) throw notFound(`study ${studyId}`);
    });
  }

  createTrial(studyId: number, params: TrialParams, seed: number, retries = 0, retryOf: number | null = null): Promise<Trial> {
    return this.session.write(async (q) => {
      // The study row's lock orders trial creation: numbers stay dense and unique across machines.
      await this.studyRow(q, studyId, true);
      const row = await q.one<TrialRow>(
        `INSERT INTO trial (study_id, number, params, state, seed, retries, retry_of)
         VALUES (@studyId, (SELECT coalesce(max(number), -1) + 1 FROM trial WHERE study_id = @studyId),
           @params, 'queued', @seed, @retries, @retryOf) RETURNING *`,
        { studyId, params: JSON.stringify(params), seed, retries, retryOf },
      );
      if (!row) throw new TunebenchError('INTERNAL', 'trial insert returned nothing');
      return toTrial(row);
    });
  }

  markTrialRunning(trialId: number, worker: string, startedAt: number): Promise<void> {
    return this.session.write(async (q) => {
      await this.unfinishedTrials(q, [trialId]);
      await q.run(`UPDATE trial SET state = 'running', worker = @worker, started_at = @at, heartbeat_at = @at WHERE id = @id`, {
        id: trialId, worker, at: startedAt,
      });
    });
  }

  heartbeat(trialIds: readonly number[], at: number): Promise<void> {
    if (trialIds.length === 0) return Promise.resolve();
    return this.session.write(async (q) => {
      await q.run(`UPDATE trial SET heartbeat_at = @at WHERE id = ANY(@ids) AND state = 'running'`, { ids: [...trialIds], at });
    });
  }

  appendMetrics(points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return Promise.resolve();
    return this.session.write(async (q) => {
      checkPoints(points);
      await this.unfinishedTrials(q, points.map((p) => p.trialId));
      await this.putPoints(q, points);
    });
  }

  finishTrial(trialId: number, result: TrialResult, lastPoints: readonly MetricPoint[]): Promise<Trial> {
    return this.session.write(async (q, attempt) => {
      checkPoints(lastPoints, trialId);
      if (attempt > 0) {
        // The server may have committed the first try before the connection dropped.
        const row = await q.one<TrialRow>('SELECT * FROM trial WHERE id = @id', { id: trialId });
        if (row && row.state === result.state && row.ended_at === result.endedAt) return toTrial(row);
      }
      await this.unfinishedTrials(q, [trialId]);
      await this.putPoints(q, lastPoints);
      const row = await q.one<TrialRow>(
        `UPDATE trial SET state = @state, value = @value, best_epoch = @bestEpoch,
           epochs_run = @epochsRun, ended_at = @endedAt,
           duration_ms = CASE WHEN started_at IS NULL THEN NULL ELSE greatest(0, @endedAt - started_at) END,
           error = @error, error_code = @errorCode, backend = coalesce(@backend, backend),
           backend_note = coalesce(@backendNote, backend_note), adapter = coalesce(@adapter, adapter)
         WHERE id = @id RETURNING *`,
        {
          state: result.state, value: finiteOrNull(result.value), bestEpoch: result.bestEpoch, epochsRun: result.epochsRun,
          endedAt: result.endedAt, error: result.error, errorCode: result.errorCode ?? null, backend: result.backend,
          backendNote: result.backendNote ?? null, adapter: result.adapter ? JSON.stringify(result.adapter) : null, id: trialId,
        },
      );
      if (!row) throw notFound(`trial ${trialId}`);
      return toTrial(row);
    });
  }

  recoverStale(studyId: number, at: number): Promise<Trial[]> {
    return this.session.write(async (q) => {
      await this.studyRow(q, studyId, true);
      const rows = await q.all<TrialRow>(recoverStaleSql, { studyId, at });
      return rows.map(toTrial).sort((a, b) => a.number - b.number);
    });
  }

  updateTrialNotes(trialId: number, patch: { notes?: string; tags?: string[] }): Promise<Trial> {
    return this.session.write(async (q) => {
      const row = await q.one<TrialRow>(
        'UPDATE trial SET notes = coalesce(@notes, notes), tags = coalesce(@tags, tags) WHERE id = @id RETURNING *',
        { id: trialId, notes: patch.notes ?? null, tags: jsonOrNull(patch.tags) },
      );
      if (!row) throw notFound(`trial ${trialId}`);
      return toTrial(row);
    });
  }

  getTrial(trialId: number): Promise<Trial> {
    return this.session.read(async (q) => {
      const row = Number.isSafeInteger(trialId) ? await q.one<TrialRow>('SELECT * FROM trial WHERE id = @id', { id: trialId }) : null;
      if (!row) throw notFound(`trial ${trialId}`);
      return toTrial(row);
    });
  }

  listTrials(studyId: number, query: TrialQuery = {}): Promise<{ total: number; rows: Trial[] }> {
    return this.session.read(async (q) => {
      const study = await this.studyRow(q, studyId);
      const direction = study.direction === 'maximize' ? 'maximize' : 'minimize';
      const { page, count } = trialPageSql(studyId, study.objective_metric, direction, query);
      const total = (await q.one<{ n: number }>(count.text, count.bindings))?.n ?? 0;
      const rows = await q.all<TrialRow & { v: number | null }>(page.text, page.bindings);
      return { total, rows: rows.map((row) => ({ ...toTrial(row), value: row.v })) };
    });
  }

  historyRows(studyId: number, valueAt?: TrialQuery['valueAt'], numbers?: readonly number[]): Promise<HistoryRow[]> {
    return this.session.read(async (q) => {
      const study = await this.studyRow(q, studyId);
      const { text, bindings } = historySql(studyId, study.objective_metric, valueAt, numbers);
      const rows = await q.all<{ id: number; number: number; state: TrialState; v: number | null; duration_ms: number | null; epochs_run: number; params: string }>(text, bindings);
      return rows.map((row) => {
        const params = JSON.parse(row.params) as HistoryRow['params'];
        return {
          trialId: row.id, number: row.number, state: row.state, value: row.v, durationMs: row.duration_ms, epochsRun: row.epochs_run,
          params: { optimizer: params.optimizer, learningRate: params.learningRate, batchSize: params.batchSize, lrSchedule: params.lrSchedule },
        };
      });
    });
  }

  historyColumns(studyId: number, valueAt?: TrialQuery['valueAt']): Promise<HistoryColumns> {
    return this.session.read(async (q) => {
      const study = await this.studyRow(q, studyId);
      const { text, bindings } = historyValuesSql(studyId, study.objective_metric, valueAt);
      const rows = await q.all<{ number: number; state: TrialState; v: number | null }>(text, bindings);
      return { numbers: rows.map((row) => row.number), states: rows.map((row) => row.state), values: rows.map((row) => row.v) };
    });
  }

  getMetrics(trialIds: readonly number[], names?: readonly string[]): Promise<MetricPoint[]> {
    return this.session.read(async (q) => {
      const nameFilter = names ? ' AND name = ANY(@names)' : '';
      const rows = await q.all<{ trial_id: number; name: string; epoch: number; value: number | null }>(
        `SELECT trial_id, name, epoch, value FROM trial_metric WHERE trial_id = ANY(@ids)${nameFilter}
         ORDER BY trial_id, name COLLATE "C", epoch`,
        names ? { ids: [...trialIds], names: [...names] } : { ids: [...trialIds] },
      );
      return rows.map(toMetricPoint);
    });
  }

  /** This process's acquires, in the order they were called (a pool would otherwise race them). */
  private acquiring: Promise<unknown> = Promise.resolve();

  acquireLease(studyId: number, owner: LeaseOwner, now: number, ttlMs: number, deadOwnerId?: string): Promise<{ owner: StudyOwner; staleTrials: Trial[] }> {
    const next = this.acquiring.then(() =>
      this.session.write(async (q) => {
        await this.studyRow(q, studyId, true); // one acquirer at a time per study, across processes
        return acquireLease(q, studyId, owner, now, ttlMs, deadOwnerId);
      }),
    );
    this.acquiring = next.catch(() => undefined);
    return next;
  }

  renewLease(studyId: number, ownerId: string, now: number, ttlMs: number): Promise<{ request: ControlRequest | null }> {
    return this.session.write((q) => renewLease(q, studyId, ownerId, now, ttlMs));
  }

  releaseLease(studyId: number, ownerId: string): Promise<void> {
    return this.session.write(async (q) => {
      await q.run('DELETE FROM study_lease WHERE study_id = @studyId AND owner_id = @ownerId', { studyId, ownerId });
    });
  }

  requestControl(studyId: number, request: ControlRequest): Promise<void> {
    return this.session.write(async (q) => {
      const changed = await q.run(
        `UPDATE study SET control_request = CASE WHEN control_request = 'cancel' THEN 'cancel' ELSE @request END WHERE id = @studyId`,
        { request, studyId },
      );
      if (changed === 0) throw notFound(`study ${studyId}`);
    });
  }

  /** The change_mark sequence, moved after every committed write of any process. */
  changeMark(): Promise<ChangeMark> {
    return this.session.read(async (q) => (await q.one<{ v: number }>('SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS v FROM change_mark', {}))?.v ?? 0);
  }

  upsertDataset(info: DatasetInfo): Promise<void> {
    return this.session.write((q) => this.putDataset(q, info, this.now()));
  }

  private async putDataset(q: Query, info: DatasetInfo, now: number): Promise<void> {
    const { fingerprint, key, name } = info;
    await q.run(
      `INSERT INTO dataset (fingerprint, key, name, info, created_at) VALUES (@fingerprint, @key, @name, @info, @now)
       ON CONFLICT (fingerprint) DO UPDATE SET key = excluded.key, name = excluded.name, info = excluded.info`,
      { fingerprint, key, name, info: JSON.stringify(info), now },
    );
  }

  getDataset(fingerprint: string): Promise<DatasetInfo | null> {
    return this.session.read(async (q) => {
      const row = await q.one<{ info: string }>('SELECT info FROM dataset WHERE fingerprint = @fingerprint', { fingerprint });
      return row ? toDataset(row) : null;
    });
  }

  keepDatasetBytes(fingerprint: string, bytes: Uint8Array): Promise<boolean> {
    return this.session.write((q) => putDatasetBlob(q, fingerprint, bytes, this.now(), this.blobCapBytes));
  }

  datasetBytes(fingerprint: string): Promise<Uint8Array | null> {
    return this.session.read((q) => getDatasetBlob(q, fingerprint));
  }

  putArtifact(trialId: number): Promise<void> {
    return Promise.reject(new TunebenchError('ARGUMENT_INVALID', `trial ${trialId}: a PostgreSQL store keeps no trial files (its artifactRoot is null)`));
  }

  getArtifact(): Promise<string | null> {
    return Promise.resolve(null);
  }

  close(): Promise<void> {
    return this.session.close();
  }
}
