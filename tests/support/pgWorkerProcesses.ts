import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

const child = fileURLToPath(new URL('./pgWorkerChild.ts', import.meta.url));

export interface PgWorkerProcess {
  proc: ChildProcess;
  /** Its stdout lines so far: one per claim (`claimed trial N`), then `done N`. */
  lines: string[];
  exited: Promise<number | null>;
  stderr(): string;
}

/**
 * `tunebench worker` stand-ins (pgWorkerChild.ts) on "other machines": each in its own process
 * group, so killing the group is a machine dying (its trainers too). Every one still running
 * after a test is killed.
 */
export function usePgWorkerProcesses(): (url: string, studyId: number, staleMs?: number) => PgWorkerProcess {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const proc of children.splice(0)) {
      try {
        if (proc.pid) process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  return (url, studyId, staleMs = 1500) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, url, String(studyId), '1', String(staleMs)], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(proc);
    const lines: string[] = [];
    let stderr = '';
    proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').filter(Boolean)));
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    return { proc, lines, exited, stderr: () => stderr };
  };
}
