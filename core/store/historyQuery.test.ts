import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { historyColumnSql } from './historyQuery.js';
import { migrate } from './migrate.js';
import { useTempDatabases } from '../../tests/support/sqliteFiles.js';

const temp = useTempDatabases();

/** SQLite's plan for `sql`, one step a line. */
const planOf = (db: Database.Database, sql: string) =>
  db
    .prepare<Record<string, number>, { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all({ studyId: 1 })
    .map((step) => step.detail)
    .join('\n');

describe('the history read plan', () => {
  // A 100,000-trial history is read column by column on every chart load: it must stay one scan
  // of the covering index, never a table lookup per trial or a sort.
  it('reads number, state and the stored value from the covering index trial_study_history, in order', () => {
    const db = new Database(temp.file());
    migrate(db);
    for (const column of ['t.state', 't.value']) {
      const plan = planOf(db, historyColumnSql(column));
      expect(plan, column).toMatch(/SEARCH t USING COVERING INDEX trial_study_history \(study_id=\?\)/);
      expect(plan, column).not.toMatch(/TEMP B-TREE/);
    }
    // The numbers alone are covered by the UNIQUE (study_id, number) index as well; either will do.
    expect(planOf(db, historyColumnSql('t.number'))).toMatch(/^SEARCH t USING COVERING INDEX \w+ \(study_id=\?\)$/);
    db.close();
  });
});
