// The baseline: the same trials, run one after another in one bare process, no pool, no store.
import { readFileSync } from 'node:fs';
import type { TrialJob } from '../core/training/protocol.js';
import { trainInProcess } from '../core/training/trainInProcess.js';

const jobs = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as TrialJob[];
let epochs = 0;
let epochMs = 0;
let backend = '';
for (const job of jobs) {
  const end = await trainInProcess(job, (report) => {
    epochs += 1;
    epochMs += report.metrics.epoch_ms ?? 0;
  });
  backend = end.backend;
}
process.stdout.write(JSON.stringify({ epochs, epochMs, backend }) + '\n');
