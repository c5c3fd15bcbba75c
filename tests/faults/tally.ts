import { appendFileSync } from 'node:fs';

/** What the fault suite counts; the global teardown sums the lines and prints them. */
export type TallyKind =
  | 'kills'
  | 'resumes'
  | 'trialsRecovered'
  | 'corruptFilesRefused'
  | 'badInputsTried'
  | 'ioFaultsInjected'
  | 'integrityChecks';

export const tallyFileEnv = 'TUNEBENCH_FAULT_TALLY';

/** Adds `count` to a tally; outside the faults project (no tally file) it does nothing. */
export function tally(kind: TallyKind, count = 1): void {
  const file = process.env[tallyFileEnv];
  if (file) appendFileSync(file, JSON.stringify({ kind, count }) + '\n');
}
