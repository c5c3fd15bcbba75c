import type Database from 'better-sqlite3';
import type { DatasetInfo, MetricPoint, Study, StudyOwner, StudyStatus, StudySummary, Trial, TrialState } from '../api/domain.js';
import { finishedStates } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { StudySpec, TrialParams } from '../api/spec.js';
import { fromNewStudy, toDataset, toMetricPoint, toStudy, toTrial, type StudyRow } from './rowMappers.js';
import { toStoreError } from './sqliteErrors.js';
import { openDatabase, type SqliteStoreOptions } from './sqliteConnection.js';
import { prepareStatements, type Statements } from './sqliteStatements.js';
import type { ChangeMark, ControlRequest, HistoryColumns, HistoryRow, LeaseOwner, NewStudy, Store, TrialQuery, TrialResult } from './store.js';
import { acquireLease, renewLease } from './sqliteLease.js';
import { checkPoints, emptyCounts, finiteOrNull, jsonOrNull, nameTaken, notFound } from './storeChecks.js';
import { ArtifactQueries, artifactRootFor } from './artifactQueries.js';
import { HistoryQueries } from './historyQuery.js';
import { TrialPageQueries } from './trialQuery.js';

export type { SqliteStoreOptions } from './sqliteConnection.js';

/**
 * Opens the SQLite store at `path` (see openDatabase for what it creates, checks and refuses).
 * All reads and writes run on one connection; every write is one IMMEDIATE transaction.
 */
export async function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): Promise<Store> {
  const db = openDatabase(path, opts);
  try {
    return new SqliteStore(db, path, opts.now ?? Date.now);
  } catch (error) {
    db.close();
    throw toStoreError(error, path);
  }
}

class SqliteStore implements Store {
  private readonly s: Statements;
  private readonly pages: TrialPageQueries;
  private readonly history: HistoryQueries;
  private readonly artifacts: ArtifactQueries;
  private readonly txn: Database.Transaction<(fn: () => unknown) => unknown>;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly now: () => number,
  ) {
    this.s = prepareStatements(db);
    this.pages = new TrialPageQueries(db);
    this.history = new HistoryQueries(db);
    this.artifacts = new ArtifactQueries(db, artifactRootFor(path));
    this.txn = db.transaction((fn: () => unknown) => fn());
  }

  /** Every call runs synchronously; errors become rejections with store error codes. */
  private call<T>(fn: () => T): Promise<T> {
    try {
      if (!this.db.open) throw new TunebenchError('INTERNAL', 'the store is closed');
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(toStoreError(error, this.path));
    }
  }

  /** Writes take the lock up front (IMMEDIATE) so a busy database waits the busy timeout. */
  private write<T>(fn: () => T): Promise<T> {
    return this.call(() => this.txn.immediate(fn) as T);
  }

  /** Several reads see one snapshot. */
  private read<T>(fn: () => T): Promise<T> {
    return this.call(() => this.txn.deferred(fn) as T);
  }

  private studyRow(studyId: number): StudyRow {
    const row = this.s.studyById.get(studyId);
    if (!row) throw notFound(`study ${studyId}`);
    return row;
  }

  private trialRow(trialId: number) {
    const row = this.s.trialById.get(trialId);
    if (!row) throw notFound(`trial ${trialId}`);
    return row;
  }

  /** Rejects unknown trials and finished ones (never written again but for notes and tags). */
  private unfinishedTrials(trialIds: readonly number[]): void {
    const unique = [...new Set(trialIds)];
    const rows = this.s.statesOfTrials.all(JSON.stringify(unique));
    if (rows.length < unique.length) {
      const known = new Set(rows.map((r) => r.id));
      throw notFound(`trial ${unique.find((id) => !known.has(id))}`);
    }
    const done = rows.find((r) => finishedStates.has(r.state as TrialState));
    if (done) throw new TunebenchError('CONFLICT', `trial ${done.id} is already ${done.state}`);
  }

  private putPoints(points: readonly MetricPoint[]): void {
    const epochs = new Map<number, number>();
    for (const p of points) {
      this.s.putMetric.run(p.trialId, p.name, p.epoch, p.value);
      epochs.set(p.trialId, Math.max(epochs.get(p.trialId) ?? 0, p.epoch + 1));
    }
    for (const [trialId, count] of epochs) this.s.bumpEpochsRun.run(count, trialId);
  }

  private summary(row: StudyRow, counts: Record<TrialState, number>): StudySummary {
    const best = (row.direction === 'maximize' ? this.s.bestMaximize : this.s.bestMinimize).get(row.id);
    return { ...toStudy(row, this.now()), counts, bestValue: best?.value ?? null, bestTrialNumber: best?.number ?? null };
  }

  createStudy(input: NewStudy): Promise<Study> {
    return this.write(() => {
      if (this.s.studyByName.get(input.name)) throw nameTaken(input.name);
      const now = this.now();
      this.putDataset(input.dataset, now);
      const row = this.s.insertStudy.get(fromNewStudy(input, now));
      if (!row) throw new TunebenchError('INTERNAL', 'study insert returned nothing');
      return toStudy(row);
    });
  }

  getStudy(studyRef: number | string): Promise<Study> {
    return this.call(() => {
      let row: StudyRow | undefined;
      if (typeof studyRef === 'number') row = this.s.studyById.get(studyRef);
      else {
        row = this.s.studyByName.get(studyRef);
        if (!row && /^\d+$/.test(studyRef)) row = this.s.studyById.get(Number(studyRef));
      }
      if (!row) throw notFound(`study ${JSON.stringify(studyRef)}`);
      return toStudy(row, this.now());
    });
  }

  listStudies(): Promise<StudySummary[]> {
    return this.read(() => {
      const counts = new Map<number, Record<TrialState, number>>();
      for (const c of this.s.allStateCounts.all()) {
        let entry = counts.get(c.study_id);
        if (!entry) counts.set(c.study_id, (entry = emptyCounts()));
        entry[c.state as TrialState] = c.n;
      }
      return this.s.allStudies.all().map((row) => this.summary(row, counts.get(row.id) ?? emptyCounts()));
    });
  }

  summarizeStudy(studyId: number): Promise<StudySummary> {
    return this.read(() => {
      const row = this.studyRow(studyId);
      const counts = emptyCounts();
      for (const c of this.s.stateCounts.all(studyId)) counts[c.state as TrialState] = c.n;
      return this.summary(row, counts);
    });
  }

  setStudyStatus(studyId: number, status: StudyStatus, reason: string | null = null): Promise<void> {
    return this.write(() => {
      const result = this.s.setStudyStatus.run(status, reason, this.now(), studyId);
      if (result.changes === 0) throw notFound(`study ${studyId}`);
    });
  }

  updateStudy(studyId: number, patch: { name?: string; notes?: string; tags?: string[]; spec?: StudySpec; plannedTrials?: number }): Promise<Study> {
    return this.write(() => {
      this.studyRow(studyId);
      const holder = patch.name === undefined ? undefined : this.s.studyByName.get(patch.name);
      if (holder && holder.id !== studyId) throw nameTaken(holder.name);
      const row = this.s.updateStudy.get({
        id: studyId,
        name: patch.name ?? null,
        notes: patch.notes ?? null,
        tags: jsonOrNull(patch.tags),
        spec: patch.spec === undefined ? null : JSON.stringify(patch.spec),
        planned: patch.plannedTrials ?? null,
        now: this.now(),
      });
      if (!row) throw notFound(`study ${studyId}`);
      return toStudy(this.studyRow(studyId), this.now());
    });
  }

  deleteStudy(studyId: number): Promise<void> {
    return this.write(() => {
      if (this.s.deleteStudy.run(studyId).changes === 0) throw notFound(`study ${studyId}`);
    });
  }

  createTrial(studyId: number, params: TrialParams, seed: number, retries = 0, retryOf: number | null = null): Promise<Trial> {
    return this.write(() => {
      this.studyRow(studyId);
      // max+1 under the write lock: numbers stay dense and unique across processes.
      const next = this.s.nextNumber.get(studyId)?.next ?? 0;
      const row = this.s.insertTrial.get(studyId, next, JSON.stringify(params), seed, retries, retryOf);
      if (!row) throw new TunebenchError('INTERNAL', 'trial insert returned nothing');
      return toTrial(row);
    });
  }

  markTrialRunning(trialId: number, worker: string, startedAt: number): Promise<void> {
    return this.write(() => {
      this.unfinishedTrials([trialId]);
      this.s.markRunning.run({ id: trialId, worker, at: startedAt });
    });
  }

  heartbeat(trialIds: readonly number[], at: number): Promise<void> {
    if (trialIds.length === 0) return Promise.resolve();
    return this.write(() => void this.s.heartbeat.run({ ids: JSON.stringify(trialIds), at }));
  }

  appendMetrics(points: readonly MetricPoint[]): Promise<void> {
    if (points.length === 0) return Promise.resolve();
    return this.write(() => {
      checkPoints(points);
      this.unfinishedTrials(points.map((p) => p.trialId));
      this.putPoints(points);
    });
  }

  finishTrial(trialId: number, result: TrialResult, lastPoints: readonly MetricPoint[]): Promise<Trial> {
    return this.write(() => {
      checkPoints(lastPoints, trialId);
      this.unfinishedTrials([trialId]);
      this.putPoints(lastPoints);
      const adapter = result.adapter ? JSON.stringify(result.adapter) : null;
      const row = this.s.finishTrial.get({ backendNote: null, errorCode: null, ...result, adapter, id: trialId, value: finiteOrNull(result.value) });
      if (!row) throw notFound(`trial ${trialId}`);
      return toTrial(row);
    });
  }

  recoverStale(studyId: number, at: number): Promise<Trial[]> {
    return this.write(() => {
      this.studyRow(studyId);
      const rows = this.s.recoverStale.all({ studyId, at });
      return rows.map(toTrial).sort((a, b) => a.number - b.number);
    });
  }

  updateTrialNotes(trialId: number, patch: { notes?: string; tags?: string[] }): Promise<Trial> {
    return this.write(() => {
      const { notes = null, tags } = patch;
      const row = this.s.updateTrialNotes.get({ id: trialId, notes, tags: jsonOrNull(tags) });
      if (!row) throw notFound(`trial ${trialId}`);
      return toTrial(row);
    });
  }

  getTrial(trialId: number): Promise<Trial> {
    return this.call(() => toTrial(this.trialRow(trialId)));
  }

  listTrials(studyId: number, query: TrialQuery = {}): Promise<{ total: number; rows: Trial[] }> {
    return this.read(() => {
      const study = this.studyRow(studyId);
      const direction = study.direction === 'maximize' ? 'maximize' : 'minimize';
      const page = this.pages.page(studyId, study.objective_metric, direction, query);
      return { total: page.total, rows: page.rows.map((row) => ({ ...toTrial(row), value: row.v })) };
    });
  }

  historyRows(studyId: number, valueAt?: TrialQuery['valueAt'], numbers?: readonly number[]): Promise<HistoryRow[]> {
    return this.read(() => this.history.rows(studyId, this.studyRow(studyId).objective_metric, valueAt, numbers));
  }

  historyColumns(studyId: number, valueAt?: TrialQuery['valueAt']): Promise<HistoryColumns> {
    // One read transaction: the three column reads see the same trials.
    return this.read(() => this.history.columns(studyId, this.studyRow(studyId).objective_metric, valueAt));
  }

  getMetrics(trialIds: readonly number[], names?: readonly string[]): Promise<MetricPoint[]> {
    return this.call(() => {
      const ids = JSON.stringify(trialIds);
      const rows = names ? this.s.namedMetrics.all(ids, JSON.stringify(names)) : this.s.metrics.all(ids);
      return rows.map(toMetricPoint);
    });
  }

  acquireLease(studyId: number, owner: LeaseOwner, now: number, ttlMs: number, deadOwnerId?: string): Promise<{ owner: StudyOwner; staleTrials: Trial[] }> {
    return this.write(() => {
      this.studyRow(studyId);
      return acquireLease(this.s, studyId, owner, now, ttlMs, deadOwnerId);
    });
  }

  renewLease(studyId: number, ownerId: string, now: number, ttlMs: number): Promise<{ request: ControlRequest | null }> {
    return this.write(() => renewLease(this.s, studyId, ownerId, now, ttlMs));
  }

  releaseLease(studyId: number, ownerId: string): Promise<void> {
    return this.write(() => void this.s.releaseLease.run(studyId, ownerId));
  }

  requestControl(studyId: number, request: ControlRequest): Promise<void> {
    return this.write(() => {
      if (this.s.setControlRequest.run(request, studyId).changes === 0) throw notFound(`study ${studyId}`);
    });
  }

  /** SQLite's data_version moves when another connection commits; this one's writes emit events already. */
  changeMark(): Promise<ChangeMark> {
    return this.call(() => this.db.pragma('data_version', { simple: true }) as number);
  }

  upsertDataset(info: DatasetInfo): Promise<void> {
    return this.write(() => this.putDataset(info, this.now()));
  }

  private putDataset(info: DatasetInfo, now: number): void {
    const { fingerprint, key, name } = info;
    this.s.upsertDataset.run({ fingerprint, key, name, info: JSON.stringify(info), now });
  }

  getDataset(fingerprint: string): Promise<DatasetInfo | null> {
    return this.call(() => {
      const row = this.s.datasetByFingerprint.get(fingerprint);
      return row ? toDataset(row) : null;
    });
  }

  get artifactRoot(): string | null {
    return this.artifacts.root;
  }

  putArtifact(trialId: number, kind: string, path: string): Promise<void> {
    return this.write(() => {
      this.trialRow(trialId);
      this.artifacts.put(trialId, kind, path, this.now());
    });
  }

  getArtifact(trialId: number, kind: string): Promise<string | null> {
    return this.call(() => this.artifacts.get(trialId, kind));
  }

  close(): Promise<void> {
    if (!this.db.open) return Promise.resolve();
    return this.call(() => {
      try {
        this.db.pragma('optimize'); // refreshes planner statistics where they are stale
      } catch {
        // best effort: a busy database must not keep the connection open
      }
      this.db.close();
    });
  }
}
