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

/** A 12-epoch, 8-trial grid spec on pointsCsv at `csvPath` (as written in the spec, relative to it). */
export function pointsSpec(csvPath: string): string {
  return `
name: points
dataset: { csv: ${csvPath}, target: label }
objective: { metric: val_accuracy, direction: maximize }
epochs: 12
space:
  optimizer: { choice: [sgd, adam] }
  learningRate: { choice: [0.01, 0.05, 0.1, 0.2] }
  batchSize: 16
seed: 5
workers: 1
`;
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
