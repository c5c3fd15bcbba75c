import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Study, Trial } from '../api/domain.js';
import { seedStats, type ConfigurationStats } from '../api/seedStats.js';
import type { TunebenchService } from '../engine/service.js';
import type { GlobalOptions } from './context.js';
import { withService } from './context.js';
import { formatNumber, formatParams, table } from './output.js';
import { runWithProgress } from './sweep.js';
import { writeOut } from './terminalText.js';

function wholeNumber(name: string, min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min) throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
    return value;
  };
}

/** Mean and 95% interval per configuration run with several seeds, best mean first. */
export function seedStatsTable(stats: readonly ConfigurationStats[]): string {
  return table(
    ['trials', 'runs', 'mean', '95% interval', 'sd', 'params'],
    stats.map((s) => [
      s.trialNumbers.map((n) => `#${n}`).join(' '),
      String(s.values.length),
      formatNumber(s.mean),
      `${formatNumber(s.interval[0])} .. ${formatNumber(s.interval[1])}`,
      formatNumber(s.sd),
      formatParams(s.params),
    ]),
  );
}

async function allTrials(service: TunebenchService, study: Study): Promise<Trial[]> {
  const rows: Trial[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await service.trials.page({ study: study.id, sort: 'number', offset, limit: 1000 });
    rows.push(...page.rows);
    if (rows.length >= page.total || page.rows.length === 0) return rows;
  }
}

/** Complete trials grouped by configuration with their seed statistics. */
export async function statsOf(service: TunebenchService, study: Study): Promise<ConfigurationStats[]> {
  return seedStats(await allTrials(service, study), study.objective.direction);
}

/** The seed statistics as text: `rerun` prints them after its run, `show` beside the leaderboard. */
export async function printSeedStats(service: TunebenchService, study: Study): Promise<void> {
  const stats = await statsOf(service, study);
  if (stats.length === 0) return;
  const [best, second] = stats;
  const verdict = best && second
    ? (study.objective.direction === 'maximize' ? best.interval[0] > second.interval[1] : best.interval[1] < second.interval[0])
      ? 'the best configuration beats the next beyond seed noise (the 95% intervals do not overlap)'
      : 'the 95% intervals of the best two overlap: the best may not beat the next beyond seed noise'
    : '';
  writeOut(`\n${study.objective.metric} over seeds, per configuration:\n${seedStatsTable(stats)}\n${verdict ? verdict + '\n' : ''}`);
}

/**
 * extend and rerun: a stopped study given more trials through the same service calls as the
 * dashboard's buttons, then run here with the sweep's progress view.
 */
export function addGrowCommands(program: Command, withGlobals: (command: Command) => Command, setExit: (code: number) => void): void {
  withGlobals(program.command('extend').argument('<study>', 'study name or id'))
    .description('add N trials to a stopped random, sobol or tpe study; its strategy continues from the stored history')
    .requiredOption('--trials <n>', 'trials to add', wholeNumber('--trials', 1))
    .option('--workers <n>', 'trials at once', wholeNumber('--workers', 1))
    .action(async (ref: string, options: GlobalOptions & { trials: number; workers?: number }) => {
      setExit(await withService(options, async (service) => {
        const study = await service.studies.extend({ study: ref, trials: options.trials, start: false });
        return runWithProgress(service, study, options);
      }));
    });

  withGlobals(program.command('rerun').argument('<study>', 'study name or id'))
    .description('train the top K configurations again with N new seeds each, then show mean and 95% interval per configuration')
    .option('--top <k>', 'configurations to re-run, best first', wholeNumber('--top', 1), 1)
    .requiredOption('--seeds <n>', 'new seeds per configuration', wholeNumber('--seeds', 1))
    .option('--trial <numbers...>', 're-run these trial numbers instead of the top K')
    .option('--workers <n>', 'trials at once', wholeNumber('--workers', 1))
    .action(async (ref: string, options: GlobalOptions & { top: number; seeds: number; trial?: string[]; workers?: number }) => {
      setExit(await withService(options, async (service) => {
        const target = await service.study(ref);
        const trialIds = options.trial ? await trialIdsOf(service, target, options.trial) : undefined;
        const study = await service.studies.rerun({ study: target.id, seeds: options.seeds, start: false, ...(trialIds ? { trialIds } : { top: options.top }) });
        const code = await runWithProgress(service, study, { ...options, jsonExtra: async () => ({ configurations: await statsOf(service, study) }) });
        if (!options.json) await printSeedStats(service, study);
        return code;
      }));
    });
}

async function trialIdsOf(service: TunebenchService, study: Study, numbers: readonly string[]): Promise<number[]> {
  const trials = await allTrials(service, study);
  return numbers.map((text) => {
    const number = Number(text.replace(/^#/, ''));
    const trial = trials.find((t) => t.number === number);
    if (!trial) throw new InvalidArgumentError(`--trial ${text}: study ${study.name} has no trial with that number`);
    return trial.id;
  });
}
