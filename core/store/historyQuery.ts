import type Database from 'better-sqlite3';
import type { TrialState } from '../api/domain.js';
import type { HistoryRow, TrialQuery } from './store.js';

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

/**
 * The history chart's rows: only the columns it draws, in trial-number order. A whole-row page
 * parses notes, tags and errors of every trial; at 10,000 trials this narrow read is several
 * times faster, and picking the four parameters in SQL (json_extract) instead of parsing each
 * trial's params in JS is another 5-10x: 100,000 trials read in a few hundred milliseconds.
 */
export class HistoryQueries {
  private readonly statements = new Map<keyof typeof valueSql, Database.Statement<Record<string, number | string>, Row>>();

  constructor(private readonly db: Database.Database) {}

  rows(studyId: number, metric: string, valueAt: TrialQuery['valueAt'] = 'best'): HistoryRow[] {
    const kind = typeof valueAt === 'object' ? 'epoch' : valueAt;
    let statement = this.statements.get(kind);
    if (!statement) {
      statement = this.db.prepare(
        `SELECT t.id, t.number, t.state, ${valueSql[kind]} AS v, t.duration_ms, t.epochs_run,
                json_extract(t.params, '$.optimizer') AS optimizer, json_extract(t.params, '$.learningRate') AS learning_rate,
                json_extract(t.params, '$.batchSize') AS batch_size, json_extract(t.params, '$.lrSchedule') AS lr_schedule
         FROM trial t WHERE t.study_id = @studyId ORDER BY t.number`,
      );
      this.statements.set(kind, statement);
    }
    const bindings: Record<string, number | string> = { studyId };
    if (kind !== 'best') bindings.metric = metric;
    if (typeof valueAt === 'object') bindings.epoch = valueAt.epoch;
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
}
