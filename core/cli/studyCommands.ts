import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Study } from '../api/domain.js';
import { TunebenchError } from '../api/errors.js';
import type { GlobalOptions } from './context.js';
import { withService } from './context.js';
import { count } from './output.js';

/** "a, b  c" -> ["a", "b", "c"]; the service's request schema checks the limits, as for the dashboard. */
function splitTags(words: readonly string[]): string[] {
  return [...new Set(words.flatMap((word) => word.split(/[,\s]+/)).filter(Boolean))];
}

function printStudy(study: Study, options: GlobalOptions, text: string): void {
  process.stdout.write(options.json ? JSON.stringify(study, null, 2) + '\n' : text + '\n');
}

/**
 * rename, delete, tag and note: what the dashboard does to a study, for scripts. Each goes
 * through the same service call as the dashboard, so the rules (unique names, a running study
 * cancelled before it is deleted, tag limits) are the same.
 */
export function addStudyCommands(program: Command, withGlobals: (command: Command) => Command): void {
  withGlobals(program.command('rename').argument('<study>', 'study name or id').argument('<name>', 'the new name'))
    .description('rename a study (names are unique)')
    .action(async (ref: string, name: string, options: GlobalOptions) => {
      await withService(options, async (service) => {
        const before = await service.study(ref);
        const study = await service.studies.rename({ study: before.id, name });
        printStudy(study, options, `renamed study ${study.id}: ${before.name} -> ${study.name}`);
      });
    });

  withGlobals(program.command('delete').argument('<study>', 'study name or id'))
    .description('delete a study with its trials and learning curves (a running one is cancelled first)')
    .option('--yes', 'delete without asking (required when not on a terminal)')
    .action(async (ref: string, options: GlobalOptions & { yes?: boolean }) => {
      await withService(options, async (service) => {
        const study = await service.study(ref);
        const { study: summary } = await service.studies.get({ study: study.id });
        const total = Object.values(summary.counts).reduce((sum, n) => sum + n, 0);
        const what = `study ${study.name} (id ${study.id}) and its ${count(total, 'trial')}`;
        if (!options.yes) throw new TunebenchError('ARGUMENT_INVALID', `this deletes ${what} for good; add --yes to confirm`);
        await service.studies.remove({ study: study.id });
        process.stdout.write(options.json ? JSON.stringify({ deleted: study.id, name: study.name, trials: total }) + '\n' : `deleted ${what}\n`);
      });
    });

  withGlobals(program.command('tag').argument('<study>', 'study name or id').argument('[tags...]', 'tags to add (or remove with --remove)'))
    .description("add or remove a study's tags; with no tags, list them")
    .option('--remove', 'remove the given tags instead of adding them')
    .option('--clear', 'remove every tag')
    .action(async (ref: string, words: string[], options: GlobalOptions & { remove?: boolean; clear?: boolean }) => {
      await withService(options, async (service) => {
        const study = await service.study(ref);
        const given = splitTags(words);
        let tags = study.tags;
        if (options.clear) tags = [];
        else if (options.remove) tags = tags.filter((tag) => !given.includes(tag));
        else tags = [...new Set([...tags, ...given])];
        const updated = tags.join('\n') === study.tags.join('\n') ? study : await service.studies.annotate({ study: study.id, tags });
        printStudy(updated, options, updated.tags.length === 0 ? `${updated.name}: no tags` : `${updated.name}: ${updated.tags.join(', ')}`);
      });
    });

  withGlobals(program.command('note').argument('<study>', 'study name or id').argument('[text]', 'the new notes; "-" reads them from stdin'))
    .description("set a study's notes; with no text, print them")
    .option('--append', 'add the text as a new line after the notes already there')
    .option('--clear', 'remove the notes')
    .action(async (ref: string, text: string | undefined, options: GlobalOptions & { append?: boolean; clear?: boolean }) => {
      await withService(options, async (service) => {
        const study = await service.study(ref);
        if (text === undefined && !options.clear) {
          printStudy(study, options, study.notes === '' ? `${study.name}: no notes` : study.notes);
          return;
        }
        const given = options.clear ? '' : text === '-' ? readFileSync(0, 'utf8').trimEnd() : (text ?? '');
        const notes = options.append && study.notes !== '' ? `${study.notes}\n${given}` : given;
        const updated = await service.studies.annotate({ study: study.id, notes });
        printStudy(updated, options, `${updated.name}: notes ${notes === '' ? 'cleared' : 'saved'} (${count(notes.length, 'character')})`);
      });
    });
}
