import { isAbsolute, join, relative, sep } from 'node:path';
import type Database from 'better-sqlite3';
import { TunebenchError } from '../api/errors.js';

/** The folder beside a database file that holds its trials' files (`study.db` -> `study.db.artifacts`). */
export function artifactRootFor(dbPath: string): string | null {
  return dbPath === ':memory:' || dbPath === '' ? null : `${dbPath}.artifacts`;
}

/**
 * Trial artifacts (the artifact table of migration 0001): one file or folder per trial and kind,
 * stored relative to the artifact root so the database and its folder can move together.
 */
export class ArtifactQueries {
  private readonly upsert: Database.Statement<{ trialId: number; kind: string; path: string; at: number }>;
  private readonly byTrial: Database.Statement<{ trialId: number; kind: string }, { path: string }>;

  constructor(
    db: Database.Database,
    readonly root: string | null,
  ) {
    this.upsert = db.prepare(
      `INSERT INTO artifact (trial_id, kind, path, created_at) VALUES (@trialId, @kind, @path, @at)
       ON CONFLICT (trial_id, kind) DO UPDATE SET path = excluded.path, created_at = excluded.created_at`,
    );
    this.byTrial = db.prepare('SELECT path FROM artifact WHERE trial_id = @trialId AND kind = @kind');
  }

  put(trialId: number, kind: string, path: string, at: number): void {
    const inside = relative(this.root ?? '', path);
    if (!this.root || isAbsolute(inside) || inside.startsWith(`..${sep}`) || inside === '..' || inside === '') {
      throw new TunebenchError('ARGUMENT_INVALID', `artifact ${path} is not inside the store's folder ${this.root}`);
    }
    this.upsert.run({ trialId, kind, path: inside, at });
  }

  get(trialId: number, kind: string): string | null {
    const row = this.byTrial.get({ trialId, kind });
    return row && this.root ? join(this.root, row.path) : null;
  }
}
