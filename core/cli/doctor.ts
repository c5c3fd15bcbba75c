import type { DoctorReport } from '../api/doctor.js';
import { describeAdapter } from '../api/doctor.js';
import { table } from './output.js';

const rate = (value: number | null) => (value === null ? '-' : value >= 100 ? value.toFixed(0) : value.toFixed(1));

/** The doctor report as a terminal table, the software GPU labelled as such. */
export function doctorText(report: DoctorReport): string {
  const rows = report.backends.map((entry) => [
    entry.backend,
    entry.isAvailable ? (entry.adapter?.isSoftware ? 'yes (software GPU)' : 'yes') : 'no',
    entry.isAvailable ? (entry.adapter ? describeAdapter(entry.adapter) : '') : (entry.reason ?? ''),
    rate(entry.mlpStepsPerSecond),
    rate(entry.cnnStepsPerSecond),
  ]);
  const picked = `a trial here runs on ${report.picked.backend}${report.picked.note ? ` (${report.picked.note})` : ''}`;
  return `${table(['backend', 'available', 'adapter / why not', 'MLP steps/s', 'CNN steps/s'], rows)}\n\n${picked}\n` +
    'MLP: 64-128-10 at batch 64; CNN: conv 8 + conv 16 on 16x16x1 at batch 32 (steps of the real trainer, warm-up excluded)\n';
}
