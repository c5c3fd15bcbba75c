import type { DoctorReport } from '../api/doctor.js';
import { TunebenchError } from '../api/errors.js';
import type { Spawner } from './spawner.js';

/**
 * Runs doctor in a worker process of its own, started by the same spawner as trial workers
 * (fork under Node, utilityProcess under Electron): Dawn and every backend load there, never in
 * the app's main process, and the worker is gone afterwards.
 */
export function doctorInWorker(spawner: Spawner, budgetMs: number, timeoutMs = 180_000): Promise<DoctorReport> {
  const handle = spawner.spawn('doctor', { TUNEBENCH_DOCTOR_MS: String(budgetMs) });
  return new Promise<DoctorReport>((resolve, reject) => {
    const timer = setTimeout(() => {
      handle.kill('SIGKILL');
      reject(new TunebenchError('INTERNAL', `doctor did not finish within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    handle.onMessage((message) => {
      if (message.type !== 'doctor') return;
      clearTimeout(timer);
      resolve(message.report);
      handle.kill('SIGTERM');
    });
    handle.onExit((code, signal) => {
      clearTimeout(timer);
      reject(new TunebenchError('INTERNAL', `doctor's worker exited (${signal ?? `exit ${code}`}): ${handle.stderrTail().trim().split('\n').slice(-3).join(' ')}`));
    });
  });
}
