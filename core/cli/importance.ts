import { pedAnova } from '../importance/pedAnova.js';
import type { GlobalOptions } from './context.js';
import { withStore } from './replay.js';

/** `tunebench show STUDY --importance`: PED-ANOVA over the complete trials, as bars. */
export async function importanceCommand(ref: string, options: GlobalOptions): Promise<void> {
  await withStore(options, async (store) => {
    const study = await store.getStudy(ref);
    const { rows } = await store.listTrials(study.id, { states: ['complete'], limit: Number.MAX_SAFE_INTEGER });
    const finished = rows.filter((trial) => trial.value !== null).map((trial) => ({ params: trial.params, value: trial.value! }));
    const ranked = pedAnova(study.spec.space, finished, study.objective.direction);
    if (options.json) {
      process.stdout.write(JSON.stringify({ study: study.name, method: 'ped-anova', trials: finished.length, importance: ranked }, null, 2) + '\n');
      return;
    }
    const width = Math.max(...ranked.map((entry) => entry.name.length), 9);
    const lines = ranked.map(({ name, importance }) => `${name.padEnd(width)}  ${(importance * 100).toFixed(1).padStart(5)}%  ${'#'.repeat(Math.round(importance * 40))}`);
    process.stdout.write(`${study.name}: parameter importance (PED-ANOVA, top 10% of ${finished.length} complete trials vs all)\n\n${lines.join('\n') || '(no parameter varies)'}\n`);
  });
}
