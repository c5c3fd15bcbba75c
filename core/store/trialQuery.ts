import type Database from 'better-sqlite3';
import type { ParamSortKey } from '../api/contract.js';
import { paramSortKeys } from '../api/contract.js';
import type { Direction } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { TrialQuery } from './store.js';
import type { TrialRow } from './rowMappers.js';

/** A trial row with `v`, the value the page ranks by (stored best, last or at an epoch). */
export type RankedTrialRow = TrialRow & { v: number | null };

interface PageShape {
  hasStates: boolean;
  hasOptimizer: boolean;
  hasTag: boolean;
  sort: NonNullable<TrialQuery['sort']>;
  descending: boolean;
  /** Best-first order of values for the study's direction (tie-break of a parameter sort). */
  descendingValue: boolean;
  valueAt: 'best' | 'last' | 'epoch';
}

type Bindings = Record<string, string | number>;

const valueExpressions: Record<PageShape['valueAt'], string> = {
  best: 't.value',
  last: `(SELECT m.value FROM trial_metric m WHERE m.trial_id = t.id AND m.name = @metric
          ORDER BY m.epoch DESC LIMIT 1)`,
  epoch: `(SELECT m.value FROM trial_metric m WHERE m.trial_id = t.id AND m.name = @metric
           AND m.epoch = @epoch)`,
};

const stateRank = (q: string) => `CASE ${q}state WHEN 'running' THEN 0 WHEN 'queued' THEN 1
  WHEN 'complete' THEN 2 WHEN 'pruned' THEN 3 ELSE 4 END`;

const isParamSort = (sort: PageShape['sort']): sort is ParamSortKey => (paramSortKeys as readonly string[]).includes(sort);

/** The ORDER BY of a page; `q` qualifies columns ('t.' inside the page query, 'p.' outside). */
function orderBy(shape: PageShape, q: 't.' | 'p.'): string {
  const dir = shape.descending ? 'DESC' : 'ASC';
  const v = q === 't.' ? 'v' : 'p.v'; // the alias, so a correlated value is computed once per row
  switch (shape.sort) {
    case 'value':
      return `${v} ${dir} NULLS LAST, ${q}number`;
    case 'duration':
      return `${q}duration_ms ${dir} NULLS LAST, ${q}number`;
    case 'state':
      return `${stateRank(q)} ${dir}, ${q}number`;
    case 'number':
      return `${q}number ${dir}`;
    default:
      // A parameter: `s` is selected into the page CTE; ties go best value first, then by number.
      return `${q === 't.' ? 's' : 'p.s'} ${dir} NULLS LAST, ${v} ${shape.descendingValue ? 'DESC' : 'ASC'} NULLS LAST, ${q}number`;
  }
}

/** The sorted parameter as column `s` of the page CTE (the key is from a fixed list, never input). */
function paramColumn(shape: PageShape): string {
  return isParamSort(shape.sort) ? `, json_extract(t.params, '$.${shape.sort}') AS s` : '';
}

function whereClause(shape: PageShape): string {
  let where = 't.study_id = @studyId';
  if (shape.hasStates) where += ' AND t.state IN (SELECT value FROM json_each(@states))';
  if (shape.hasOptimizer) where += " AND json_extract(t.params, '$.optimizer') = @optimizer";
  if (shape.hasTag) where += ' AND EXISTS (SELECT 1 FROM json_each(t.tags) WHERE value = @tag)';
  return where;
}

/**
 * Prepares each shape of the trial page once (a few dozen at most) and binds a query to it.
 * `descending` unset ranks by value best-first for the study's direction, others ascending;
 * set, it is the literal order. NULLs sort last either way; ties go by trial number.
 */
export class TrialPageQueries {
  private readonly pages = new Map<string, Database.Statement<Bindings, RankedTrialRow>>();
  private readonly counts = new Map<string, Database.Statement<Bindings, { n: number }>>();

  constructor(private readonly db: Database.Database) {}

  page(studyId: number, metric: string, direction: Direction, query: TrialQuery) {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? -1;
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < -1) {
      throw new TunebenchError('ARGUMENT_INVALID', 'offset and limit must be whole numbers >= 0', [
        { where: '/offset', message: `offset ${offset}, limit ${limit}` },
      ]);
    }
    const sort = query.sort ?? 'number';
    const valueAt = query.valueAt ?? 'best';
    const shape: PageShape = {
      hasStates: query.states !== undefined,
      hasOptimizer: query.optimizer !== undefined,
      hasTag: query.tag !== undefined,
      sort,
      descending: query.descending ?? (sort === 'value' && direction === 'maximize'),
      descendingValue: direction === 'maximize',
      valueAt: typeof valueAt === 'object' ? 'epoch' : valueAt,
    };
    const filters: Bindings = { studyId };
    if (query.states) filters.states = JSON.stringify(query.states);
    if (query.optimizer !== undefined) filters.optimizer = query.optimizer;
    if (query.tag !== undefined) filters.tag = query.tag;
    const values: Bindings = shape.valueAt === 'best' ? {} : { metric };
    if (typeof valueAt === 'object') values.epoch = valueAt.epoch;

    const total = this.countStatement(shape).get(filters)?.n ?? 0;
    const rows = this.pageStatement(shape).all({ ...filters, ...values, limit, offset });
    return { total, rows };
  }

  private pageStatement(shape: PageShape) {
    const key = JSON.stringify(shape);
    let statement = this.pages.get(key);
    if (!statement) {
      // Rank narrow rows (in index order for the stored value), then read whole rows of one page.
      statement = this.db.prepare<Bindings, RankedTrialRow>(
        `WITH p AS (
           SELECT t.id, t.number, t.state, t.duration_ms, ${valueExpressions[shape.valueAt]} AS v${paramColumn(shape)}
           FROM trial t WHERE ${whereClause(shape)}
           ORDER BY ${orderBy(shape, 't.')} LIMIT @limit OFFSET @offset)
         SELECT t.*, p.v FROM p JOIN trial t ON t.id = p.id ORDER BY ${orderBy(shape, 'p.')}`,
      );
      this.pages.set(key, statement);
    }
    return statement;
  }

  private countStatement(shape: PageShape) {
    const key = `${shape.hasStates}/${shape.hasOptimizer}/${shape.hasTag}`;
    let statement = this.counts.get(key);
    if (!statement) {
      statement = this.db.prepare<Bindings, { n: number }>(
        `SELECT count(*) AS n FROM trial t WHERE ${whereClause(shape)}`,
      );
      this.counts.set(key, statement);
    }
    return statement;
  }
}
