import type Database from 'better-sqlite3';
import type { TrialState } from '../api/domain.js';
import type { HistoryColumns, HistoryRow, TrialQuery } from './store.js';

interface Row {
  id: number;
  number: number;
  state: TrialState;
  v: number | null;
  duration_ms: number | null;
  epochs_run: number;
  optimizer: HistoryRow['params']['optimizer'];
  learning_rate: number;
  batch_size: number;
  lr_schedule: HistoryRow['params']['lrSchedule'];
}

const valueSql = {
  best: 't.value',
  last: `(SELECT m.value FROM trial_metric m WHERE m.trial_id = t.id AND m.name = @metric ORDER BY m.epoch DESC LIMIT 1)`,
  epoch: `(SELECT m.value FROM trial_metric m WHERE m.trial_id = t.id AND m.name = @metric AND m.epoch = @epoch)`,
} as const;

type ValueKind = keyof typeof valueSql;
type Bindings = Record<string, number | string>;

/** One column of every trial in number order (exported for the plan test: it must stay on trial_study_history). */
export const historyColumnSql = (column: string) => `SELECT ${column} FROM trial t WHERE t.study_id = @studyId ORDER BY t.number`;

/** Only the listed trials (a JSON array of numbers), for the points a thinned history keeps. */
const onlyNumbers = ' AND t.number IN (SELECT value FROM json_each(@numbers))';

/**
 * The history chart's rows: only the columns it draws, in trial-number order. A whole-row page
 * parses notes, tags and errors of every trial; at 10,000 trials this narrow read is several
 * times faster, and picking the four parameters in SQL (json_extract) instead of parsing each
 * trial's params in JS is another 5-10x. `columns` reads less still, what thinning a 100,000-trial
 * history needs: no params, from the covering index trial_study_history, each column plucked into
 * an array of plain values (no object per row: 2x faster again).
 */
export class HistoryQueries {
  private readonly statements = new Map<string, Database.Statement<Bindings, Row>>();
  private readonly columnStatements = new Map<string, Database.Statement<Bindings, unknown>>();

  constructor(private readonly db: Database.Database) {}

  rows(studyId: number, metric: string, valueAt: TrialQuery['valueAt'] = 'best', numbers?: readonly number[]): HistoryRow[] {
    const kind = valueKind(valueAt);
    const key = `${kind}/${numbers !== undefined}`;
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(
        `SELECT t.id, t.number, t.state, ${valueSql[kind]} AS v, t.duration_ms, t.epochs_run,
                json_extract(t.params, '$.optimizer') AS optimizer, json_extract(t.params, '$.learningRate') AS learning_rate,
                json_extract(t.params, '$.batchSize') AS batch_size, json_extract(t.params, '$.lrSchedule') AS lr_schedule
         FROM trial t WHERE t.study_id = @studyId${numbers === undefined ? '' : onlyNumbers} ORDER BY t.number`,
      );
      this.statements.set(key, statement);
    }
    const bindings = valueBindings(studyId, metric, valueAt);
    if (numbers !== undefined) bindings.numbers = JSON.stringify(numbers);
    return statement.all(bindings).map((row) => ({
      trialId: row.id,
      number: row.number,
      state: row.state,
      value: row.v,
      durationMs: row.duration_ms,
      epochsRun: row.epochs_run,
      params: { optimizer: row.optimizer, learningRate: row.learning_rate, batchSize: row.batch_size, lrSchedule: row.lr_schedule },
    }));
  }

  /** Call inside one read transaction, so the three columns are of the same trials. */
  columns(studyId: number, metric: string, valueAt: TrialQuery['valueAt'] = 'best'): HistoryColumns {
    const bindings = valueBindings(studyId, metric, valueAt);
    return {
      numbers: this.column('t.number').all({ studyId }) as number[],
      states: this.column('t.state').all({ studyId }) as TrialState[],
      values: this.column(valueSql[valueKind(valueAt)]).all(bindings) as (number | null)[],
    };
  }

  private column(expression: string): Database.Statement<Bindings, unknown> {
    let statement = this.columnStatements.get(expression);
    if (!statement) {
      statement = this.db.prepare<Bindings, unknown>(historyColumnSql(expression)).pluck();
      this.columnStatements.set(expression, statement);
    }
    return statement;
  }
}

function valueKind(valueAt: TrialQuery['valueAt'] = 'best'): ValueKind {
  return typeof valueAt === 'object' ? 'epoch' : valueAt;
}

function valueBindings(studyId: number, metric: string, valueAt: TrialQuery['valueAt'] = 'best'): Bindings {
  const bindings: Bindings = { studyId };
  if (valueAt !== 'best') bindings.metric = metric;
  if (typeof valueAt === 'object') bindings.epoch = valueAt.epoch;
  return bindings;
}
