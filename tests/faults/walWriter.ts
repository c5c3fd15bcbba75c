// A child process that writes like a busy sweep: many small commits of metric points.
import { openSqliteStore } from '../../core/store/sqliteStore.js';
import { completed, sampleParams, sampleStudy } from '../support/storeFixtures.js';

const [path, commitsText] = process.argv.slice(2);
const store = await openSqliteStore(path as string);
const study = await store.createStudy(sampleStudy(`wal-${process.pid}`));
const commits = Number(commitsText);
let trial = await store.createTrial(study.id, sampleParams(), 0);
for (let i = 0; i < commits; i++) {
  if (i % 100 === 99) {
    await store.markTrialRunning(trial.id, 'w', 1);
    await store.finishTrial(trial.id, completed(1 / i), []);
    trial = await store.createTrial(study.id, sampleParams(), i);
  }
  const points = Array.from({ length: 40 }, (_, k) => ({ trialId: trial.id, name: `m${k}`, epoch: i % 100, value: Math.sin(i + k) }));
  await store.appendMetrics(points);
}
await store.close();
process.stdout.write('done\n');
