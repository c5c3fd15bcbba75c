import type { LrFindResult } from '../api/lrFind.js';
import { TunebenchError } from '../api/errors.js';
import type { LrFindJob } from '../training/protocol.js';
import type { Spawner } from './spawner.js';

/**
 * Runs an LR range test in a worker process of its own (like doctor): training never happens in
 * the service's process, and the worker is gone afterwards.
 */
export function lrFindInWorker(spawner: Spawner, request: LrFindJob, timeoutMs = 600_000): Promise<LrFindResult> {
  const handle = spawner.spawn('lr-find', { TUNEBENCH_LRFIND: JSON.stringify(request) });
  return new Promise<LrFindResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      handle.kill('SIGKILL');
      reject(new TunebenchError('INTERNAL', `lr-find did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    handle.onMessage((message) => {
      if (message.type !== 'lrFind') return;
      clearTimeout(timer);
      resolve(message.result);
      handle.kill('SIGTERM');
    });
    handle.onExit((code, signal) => {
      clearTimeout(timer);
      const reason = handle.stderrTail().trim().split('\n').filter((line) => line.startsWith('lr-find failed: ')).at(-1);
      if (reason) reject(new TunebenchError('INTERNAL', reason));
      else reject(new TunebenchError('INTERNAL', `lr-find's worker exited (${signal ?? `exit ${code}`}): ${handle.stderrTail().trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}
