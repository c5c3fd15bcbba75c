import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tallyFileEnv } from './tally.js';

/** Gives the test files one tally file, then prints what the whole suite did. */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'tunebench-faults-'));
  const file = join(dir, 'tally.jsonl');
  process.env[tallyFileEnv] = file;
  return () => {
    const totals = new Map<string, number>();
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        const { kind, count } = JSON.parse(line) as { kind: string; count: number };
        totals.set(kind, (totals.get(kind) ?? 0) + count);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    const get = (kind: string) => totals.get(kind) ?? 0;
    const lines = [
      '',
      'Tunebench fault suite summary',
      `  kills (SIGKILL of real processes): ${get('kills')}`,
      `  resumes after a kill:              ${get('resumes')}`,
      `  finished trials recovered intact:  ${get('trialsRecovered')}`,
      `  corrupt or foreign files refused:  ${get('corruptFilesRefused')}`,
      `  I/O faults injected:               ${get('ioFaultsInjected')}`,
      `  bad inputs tried:                  ${get('badInputsTried')}`,
      `  integrity checks passed:           ${get('integrityChecks')}`,
      '  (a case adds to these counts only after its checks passed: no finished trial lost or duplicated, files intact)',
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  };
}
