import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricPoint } from '../core/api/domain.js';
import { validateSpec } from '../core/space/parseSpec.js';
import { openSqliteStore } from '../core/store/sqliteStore.js';
import { fixtureDataset } from '../tests/support/engine.js';

/** Metric rows per second through Store.appendMetrics in engine-sized batches (one transaction each). */
export async function metricInsertRate(totalRows = 200_000, batchRows = 1_000): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'tunebench-store-bench-'));
  const store = await openSqliteStore(join(dir, 'bench.db'));
  try {
    const spec = validateSpec({ dataset: 'builtin:iris', space: { optimizer: 'sgd', learningRate: 0.1, batchSize: 8 } });
    const study = await store.createStudy({ name: 'bench', spec, plannedTrials: 1, dataset: fixtureDataset, appVersion: 'bench' });
    const trials = await Promise.all(Array.from({ length: 20 }, () => store.createTrial(study.id, { optimizer: 'sgd', learningRate: 0.1, batchSize: 8, lrSchedule: 'constant' }, 1, 0)));
    const names = ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'lr'];
    const batches: MetricPoint[][] = [];
    let row = 0;
    while (row < totalRows) {
      const batch: MetricPoint[] = [];
      for (let i = 0; i < batchRows; i += 1, row += 1) {
        const trial = trials[Math.floor(row / names.length) % trials.length]!;
        batch.push({ trialId: trial.id, epoch: Math.floor(row / (trials.length * names.length)), name: names[row % names.length]!, value: Math.random() });
      }
      batches.push(batch);
    }
    const started = performance.now();
    for (const batch of batches) await store.appendMetrics(batch);
    return totalRows / ((performance.now() - started) / 1000);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
