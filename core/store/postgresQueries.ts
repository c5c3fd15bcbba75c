import { paramSortKeys, type ParamSortKey } from '../api/contract.js';
import type { Direction } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { TrialQuery } from './store.js';

// The SQL of the PostgreSQL store that differs from SQLite's: JSON through ::jsonb, lists bound
// as arrays. Same rules as core/store/trialQuery.ts and historyQuery.ts, which document them.

export const studyWithLease = `SELECT study.*, l.owner_id AS lease_owner_id, l.host AS lease_host, l.pid AS lease_pid,
    l.heartbeat_at AS lease_heartbeat_at, l.expires_at AS lease_expires_at
  FROM study LEFT JOIN study_lease AS l ON l.study_id = study.id`;

export const latestAttempt = 'NOT EXISTS (SELECT 1 FROM trial AS rerun WHERE rerun.retry_of = trial.id)';

export const recoverStaleSql = `UPDATE trial SET state = 'failed', error = 'stale', error_code = 'STALE', ended_at = @at,
    duration_ms = CASE WHEN started_at IS NULL THEN NULL ELSE greatest(0, @at - started_at) END
  WHERE study_id = @studyId AND state IN ('running', 'queued') RETURNING *`;

const valueSql = {
  best: 't.value',
  last: `(SELECT m.value FROM trial_metric m WHERE m.trial_id = t.id AND m.name = @metric ORDER BY m.epoch DESC LIMIT 1)`,
  epoch: `(SELECT m.value FROM trial_metric m WHERE m.trial_id = t.id AND m.name = @metric AND m.epoch = @epoch)`,
} as const;

type ValueKind = keyof typeof valueSql;

function valueBindings(metric: string, valueAt: TrialQuery['valueAt'] = 'best'): { kind: ValueKind; bindings: Record<string, unknown> } {
  const kind: ValueKind = typeof valueAt === 'object' ? 'epoch' : valueAt;
  const bindings: Record<string, unknown> = {};
  if (kind !== 'best') bindings.metric = metric;
  if (typeof valueAt === 'object') bindings.epoch = valueAt.epoch;
  return { kind, bindings };
}

export function historySql(studyId: number, metric: string, valueAt: TrialQuery['valueAt'], numbers?: readonly number[]) {
  const { kind, bindings } = valueBindings(metric, valueAt);
  return {
    text: `SELECT t.id, t.number, t.state, ${valueSql[kind]} AS v, t.duration_ms, t.epochs_run, t.params
      FROM trial t WHERE t.study_id = @studyId${numbers === undefined ? '' : ' AND t.number = ANY(@numbers)'} ORDER BY t.number`,
    bindings: numbers === undefined ? { ...bindings, studyId } : { ...bindings, studyId, numbers: [...numbers] },
  };
}

export function historyValuesSql(studyId: number, metric: string, valueAt: TrialQuery['valueAt']) {
  const { kind, bindings } = valueBindings(metric, valueAt);
  return {
    text: `SELECT t.number, t.state, ${valueSql[kind]} AS v FROM trial t WHERE t.study_id = @studyId ORDER BY t.number`,
    bindings: { ...bindings, studyId },
  };
}

const stateRank = (q: string) => `CASE ${q}state WHEN 'running' THEN 0 WHEN 'queued' THEN 1
  WHEN 'complete' THEN 2 WHEN 'pruned' THEN 3 ELSE 4 END`;

const isParamSort = (sort: string): sort is ParamSortKey => (paramSortKeys as readonly string[]).includes(sort);

/** The trial page and its count, as in TrialPageQueries (SQLite). */
export function trialPageSql(studyId: number, metric: string, direction: Direction, query: TrialQuery) {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? -1;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < -1) {
    throw new TunebenchError('ARGUMENT_INVALID', 'offset and limit must be whole numbers >= 0', [
      { where: '/offset', message: `offset ${offset}, limit ${limit}` },
    ]);
  }
  const sort = query.sort ?? 'number';
  const descending = query.descending ?? (sort === 'value' && direction === 'maximize');
  const dir = descending ? 'DESC' : 'ASC';
  const { kind, bindings } = valueBindings(metric, query.valueAt);

  const filters: Record<string, unknown> = { studyId };
  let where = 't.study_id = @studyId';
  if (query.states) {
    where += ' AND t.state = ANY(@states)';
    filters.states = query.states;
  }
  if (query.optimizer !== undefined) {
    where += " AND (t.params::jsonb ->> 'optimizer') = @optimizer";
    filters.optimizer = query.optimizer;
  }
  if (query.tag !== undefined) {
    where += ' AND jsonb_exists(t.tags::jsonb, @tag)';
    filters.tag = query.tag;
  }

  const order = (q: 't.' | 'p.') => {
    const v = q === 't.' ? 'v' : 'p.v';
    switch (sort) {
      case 'value':
        return `${v} ${dir} NULLS LAST, ${q}number`;
      case 'duration':
        return `${q}duration_ms ${dir} NULLS LAST, ${q}number`;
      case 'state':
        return `${stateRank(q)} ${dir}, ${q}number`;
      case 'number':
        return `${q}number ${dir}`;
      default:
        return `${q === 't.' ? 's' : 'p.s'} ${dir} NULLS LAST, ${v} ${direction === 'maximize' ? 'DESC' : 'ASC'} NULLS LAST, ${q}number`;
    }
  };
  // The key is from a fixed list, never input. jsonb orders numbers as numbers, strings as text.
  const paramColumn = isParamSort(sort) ? `, (t.params::jsonb -> '${sort}') AS s` : '';
  const limitSql = limit < 0 ? '' : ' LIMIT @limit';
  const page = {
    text: `WITH p AS (
        SELECT t.id, t.number, t.state, t.duration_ms, ${valueSql[kind]} AS v${paramColumn}
        FROM trial t WHERE ${where}
        ORDER BY ${order('t.')}${limitSql} OFFSET @offset)
      SELECT t.*, p.v FROM p JOIN trial t ON t.id = p.id ORDER BY ${order('p.')}`,
    bindings: { ...filters, ...bindings, offset, ...(limit < 0 ? {} : { limit }) },
  };
  const count = { text: `SELECT count(*) AS n FROM trial t WHERE ${where}`, bindings: filters };
  return { page, count };
}
