import { resolve } from 'node:path';
import { TunebenchError } from '../api/errors.js';
import { defaultDbPath } from '../paths.js';
import { recordingFromStore } from '../replay/recording.js';
import type { ReplayPruner, ReplayStrategy } from '../replay/replay.js';
import { replayPruners, replayStrategies } from '../replay/replay.js';
import { replayAll, replayTable } from '../replay/replaySummary.js';
import type { Store } from '../store/store.js';
import { openSqliteStore } from '../store/sqliteStore.js';
import type { GlobalOptions } from './context.js';

export interface ReplayCliOptions extends GlobalOptions {
  strategy: string;
  pruner: string;
  seeds: number;
  tolerance: string;
}

/** Opens the store the way openService does, for commands that read stored curves directly. */
export async function withStore<T>(options: GlobalOptions, body: (store: Store) => Promise<T>): Promise<T> {
  const store = await openSqliteStore(options.db ? resolve(options.db) : defaultDbPath());
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

/** A comma list of names, each one of `allowed`; the error names the option and the bad name. */
function namesFrom<T extends string>(text: string, allowed: readonly T[], option: string): T[] {
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  for (const name of names) {
    if (!(allowed as readonly string[]).includes(name)) throw new TunebenchError('ARGUMENT_INVALID', `${option}: unknown "${name}" (allowed: ${allowed.join(', ')})`);
  }
  if (names.length === 0) throw new TunebenchError('ARGUMENT_INVALID', `${option} needs at least one name`);
  return names as T[];
}

/** `tunebench replay`: strategies x pruners against a finished study's recorded curves. */
export async function replayCommand(ref: string, options: ReplayCliOptions): Promise<void> {
  const strategies = namesFrom<ReplayStrategy>(options.strategy, replayStrategies, '--strategy');
  const pruners = namesFrom<ReplayPruner>(options.pruner, replayPruners, '--pruner');
  const tolerance = Number(options.tolerance);
  if (!Number.isFinite(tolerance) || tolerance < 0 || tolerance >= 1) throw new TunebenchError('ARGUMENT_INVALID', `--tolerance must be a fraction in [0, 1), e.g. 0.01 for 1% (got "${options.tolerance}")`);
  const report = await withStore(options, async (store) => {
    const recording = await recordingFromStore(store, await store.getStudy(ref));
    return replayAll(recording, { strategies, pruners, seeds: options.seeds, tolerance });
  });
  process.stdout.write((options.json ? JSON.stringify(report) : replayTable(report)) + '\n');
}

/** `tunebench export STUDY --format curves`: long-format CSV of every recorded curve. */
