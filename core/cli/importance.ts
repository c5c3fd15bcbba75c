import type { GlobalOptions } from './context.js';
import { withService } from './context.js';

/** `tunebench show STUDY --importance`: the API's studies.importance (PED-ANOVA over the complete trials), as bars. */
export async function importanceCommand(ref: string, options: GlobalOptions): Promise<void> {
  await withService(options, async (service) => {
    const result = await service.studies.importance({ study: ref });
    if (options.json) {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return;
    }
    const ranked = result.importance;
    const width = Math.max(...ranked.map((entry) => entry.name.length), 9);
    const lines = ranked.map(({ name, importance }) => `${name.padEnd(width)}  ${(importance * 100).toFixed(1).padStart(5)}%  ${'#'.repeat(Math.round(importance * 40))}`);
    process.stdout.write(`${result.study}: parameter importance (PED-ANOVA, top 10% of ${result.trials} complete trials vs all)\n\n${lines.join('\n') || '(no parameter varies)'}\n`);
  }, 'read');
}
