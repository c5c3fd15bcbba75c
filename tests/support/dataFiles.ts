import Database from 'better-sqlite3';

/** Two well separated classes; `flip` swaps the labels, so a model trained on it learns the opposite. */
export function pointsCsv(flip = false): string {
  const lines = ['x1,x2,label'];
  for (let i = 0; i < 60; i++) {
    const isUp = i % 2 === 0;
    lines.push(`${(isUp ? 2 : -2) + (i % 5) / 10},${(isUp ? 1 : -1) + (i % 3) / 10},${isUp !== flip ? 'up' : 'down'}`);
  }
  return lines.join('\n') + '\n';
}

/** Rows of a query on a database file, read-only (a running CLI may hold it). */
export function dbRows<T>(db: string, sql: string): T[] {
  const raw = new Database(db, { readonly: true });
  try {
    return raw.prepare(sql).all() as T[];
  } finally {
    raw.close();
  }
}
