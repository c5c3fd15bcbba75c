import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { describeAdapter } from '../api/doctor.js';
import { TunebenchError } from '../api/errors.js';
import { backendNames, type BackendName } from '../api/spec.js';
import { reportLeaderboardSize, type ExportFormat } from '../export/renderExport.js';
import { appPath, appVersion, defaultDbPath } from '../paths.js';
import type { GlobalOptions } from './context.js';
import { databaseTarget, withService } from './context.js';
import { exitCode, reportError } from './exitCodes.js';
import { testMetricFor } from '../api/dataNotes.js';
import { count, firstSentence, leaderboardTable, statusText, studiesTable, studyDataNotes, table, wrapText } from './output.js';
import { readSpec } from './specFile.js';
import { addWorkerCommands, queuedSweep } from './worker.js';
import { isPostgresUrl } from '../store/postgresUrl.js';
import { addStudyCommands } from './studyCommands.js';
import { addGrowCommands } from './growCommands.js';
import { addLrFindCommand } from './lrFindCommand.js';
import { runWithProgress } from './sweep.js';
import { writeOut } from './terminalText.js';

// `tunebench show x --json | head`: a reader that goes away early is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(exitCode.ok);
  throw error;
});

function positiveInt(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${name} must be a whole number of at least 1`);
    return value;
  };
}

function portNumber(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65535) throw new InvalidArgumentError('--port must be a whole number from 0 to 65535 (0 picks a free port)');
  return value;
}
/** Every command takes --db, --json and --verbose. */
function withGlobals(command: Command): Command {
  return command
    .option('--db <path>', 'database file or postgres:// URL (default: $TUNEBENCH_DB, else $TUNEBENCH_HOME/tunebench.db or the user data folder)')
    .option('--json', 'print machine-readable JSON')
    .option('--read-only', 'open the database without writing or checking it (a read-only or damaged file)')
    .option('--verbose', 'print stack traces on errors');
}

let exitWith = exitCode.ok as number;
const program = new Command('tunebench')
  .description('Offline hyperparameter sweeps of real TensorFlow.js models, stored in SQLite.')
  .version(appVersion())
  .exitOverride()
  .showHelpAfterError('(add --help for usage)');

withGlobals(program.command('sweep').argument('<spec>', 'search-space spec, YAML or JSON'))
  .description('run a grid or random sweep to the end, with a progress bar')
  .option('--workers <n>', 'trials at once (default: spec workers, else cores - 1)', positiveInt('--workers'))
  .option('--name <name>', 'study name (default: the spec name)')
  .addOption(new Option('--backend <backend>', 'force a training backend, software GPUs included (default: the spec\'s, else the fastest that works)').choices(backendNames))
  .option('--warm-start <study>', 'seed TPE with a finished study\'s trials (same objective, parameter names and kinds)')
  .action(async (specPath: string, options: GlobalOptions & { workers?: number; name?: string; backend?: BackendName; warmStart?: string }) => {
    const spec = options.warmStart === undefined ? readSpec(specPath) : withWarmStart(readSpec(specPath), options.warmStart);
    if (isPostgresUrl(databaseTarget(options))) {
      exitWith = await queuedSweep(spec, options);
      return;
    }
    exitWith = await withService(options, async (service) => {
      const study = await service.studies.create({ spec, name: options.name, start: false });
      return runWithProgress(service, study, options);
    });
  });

/** --warm-start seeds TPE only: a random or grid spec is refused rather than silently ignored. */
function withWarmStart(spec: ReturnType<typeof readSpec>, ref: string): ReturnType<typeof readSpec> {
  if (spec.search.strategy !== 'tpe') {
    throw new TunebenchError('ARGUMENT_INVALID', `--warm-start seeds TPE's model, but the spec's search.strategy is ${spec.search.strategy}: use strategy tpe`, [{ where: '--warm-start', message: 'needs search.strategy tpe' }]);
  }
  return { ...spec, search: { ...spec.search, warmStart: ref } };
}

withGlobals(program.command('resume').argument('<study>', 'study name or id'))
  .description('continue an interrupted or paused study: stale trials run again, finished ones are kept')
  .option('--workers <n>', 'trials at once', positiveInt('--workers'))
  .action(async (ref: string, options: GlobalOptions & { workers?: number }) => {
    exitWith = await withService(options, async (service) => runWithProgress(service, await service.study(ref), options));
  });

withGlobals(program.command('demo'))
  .description('a small grid sweep on iris (8 trials, under a minute on 2 cores)')
  .option('--workers <n>', 'trials at once', positiveInt('--workers'))
  .action(async (options: GlobalOptions & { workers?: number }) => {
    const text = readFileSync(appPath('resources', 'specs', 'demo.yaml'), 'utf8');
    exitWith = await withService(options, async (service) => {
      const study = await service.studies.create({ spec: text, start: false });
      return runWithProgress(service, study, options);
    });
  });

withGlobals(program.command('studies'))
  .description('list studies with status, trials done/total and best value')
  .action(async (options: GlobalOptions) => {
    await withService(options, async (service) => {
      const studies = await service.studies.list({});
      writeOut((options.json ? JSON.stringify(studies, null, 2) : studiesTable(studies)) + '\n');
    }, 'read');
  });

withGlobals(program.command('show').argument('<study>', 'study name or id'))
  .description('the leaderboard of a study')
  .option('--top <k>', 'rows to show', positiveInt('--top'), 20)
  .addOption(new Option('--value <mode>', 'rank by the best epoch, the last epoch, or epoch N (from 1)').default('best'))
  .option('--importance', 'parameter importance (PED-ANOVA) over the complete trials instead')
  .action(async (ref: string, options: GlobalOptions & { top: number; value: string; importance?: boolean }) => {
    if (options.importance) {
      const { importanceCommand } = await import('./importance.js');
      await importanceCommand(ref, options);
      return;
    }
    const valueMode = parseValueMode(options.value);
    await withService(options, async (service) => {
      const study = await service.study(ref);
      const page = await service.trials.page({ study: study.id, limit: options.top, valueMode });
      for (const warning of epochWarnings(valueMode, study.spec.epochs, page.rows)) process.stderr.write(`warning: ${warning}\n`);
      if (options.json) {
        writeOut(JSON.stringify({ study, total: page.total, trials: page.rows }, null, 2) + '\n');
        return;
      }
      const { direction, metric } = study.objective;
      // Why a faster backend was not used is the same for every trial of a machine: once, on request.
      const notes = options.verbose ? [...new Set(page.rows.map((trial) => trial.backendNote).filter((note) => note))] : [];
      const adapters = options.verbose ? [...new Set(page.rows.flatMap((trial) => (trial.adapter ? [describeAdapter(trial.adapter)] : [])))] : [];
      const { dataset } = await service.studies.get({ study: study.id });
      const footer = [...adapters.map((adapter) => `GPU adapter: ${adapter}`), ...notes.map((note) => `backend note: ${note}`), ...studyDataNotes(study, dataset)].map((line) => `\n${line}`).join('');
      const testMetric = study.spec.testSplit === undefined ? undefined : testMetricFor(metric);
      const board = page.total === 0 ? 'No trials yet.' : leaderboardTable(page.rows, 0, testMetric);
      writeOut(`${study.name} (id ${study.id}, ${statusText(study)}): ${direction} ${metric}, ${count(page.total, 'trial')}\n\n${board}\n${footer}${footer ? '\n' : ''}`);
    }, 'read');
  });

withGlobals(program.command('export').argument('<study>', 'study name or id'))
  .description('export the best (or top K) trials')
  .addOption(new Option('--format <format>', 'output format (model: a folder with the best trial\'s weights and preprocessing; curves: every learning curve, long format)').choices(['json', 'yaml', 'csv', 'ts', 'html', 'curves', 'model']).default('json'))
  .option('--top <k>', `how many of the best trials (default 1; html: leaderboard rows, default ${reportLeaderboardSize})`, positiveInt('--top'))
  .option('--out <path>', 'write to this file (a folder for model) instead of stdout, atomically; never over the database')
  .option('--force', 'replace an existing --out file or folder')
  .action(async (ref: string, options: GlobalOptions & { format: ExportFormat | 'model'; top?: number; out?: string; force?: boolean }) => {
    const { checkExportTarget, writeExportFile } = await import('../export/writeExportFile.js');
    const target = { dbPath: options.db ? resolve(options.db) : defaultDbPath(), isForced: options.force === true };
    const format = options.format;
    if (format === 'model') {
      exitWith = await exportModelCommand(ref, options, target);
      return;
    }
    // Refused before the database is even opened: a bad --out must not cost a render.
    if (options.out) checkExportTarget(options.out, target);
    await withService(options, async (service) => {
      const top = options.top ?? (format === 'html' ? reportLeaderboardSize : 1);
      const result = await service.exports.render({ study: ref, format, top });
      if (options.out) {
        writeExportFile(options.out, result.text, target);
        process.stderr.write(`wrote ${options.out}\n`);
      } else process.stdout.write(result.text.endsWith('\n') ? result.text : result.text + '\n');
      if (result.note) process.stderr.write(`note: ${result.note}\n`);
    }, 'read');
  });

withGlobals(program.command('replay').argument('<study>', 'a finished (grid) study name or id'))
  .description("replay strategies and pruners against a study's recorded curves: epochs to reach its best")
  .option('--strategy <names>', 'comma list of grid, random, sobol, tpe', 'random,tpe')
  .option('--pruner <names>', 'comma list of none, median, asha, hyperband', 'none')
  .option('--seeds <n>', 'seeds per combination', positiveInt('--seeds'), 20)
  .option('--tolerance <t>', 'relative distance to the best that counts as reaching it', '0.01')
  .action(async (ref: string, options: GlobalOptions & { strategy: string; pruner: string; seeds: number; tolerance: string }) => {
    const { replayCommand } = await import('./replay.js');
    await replayCommand(ref, options);
  });

withGlobals(program.command('datasets'))
  .description('list the built-in datasets')
  .action(async (options: GlobalOptions) => {
    const { listBuiltinDatasets } = await import('../data/index.js');
    const datasets = listBuiltinDatasets();
    if (options.json) {
      process.stdout.write(JSON.stringify(datasets, null, 2) + '\n');
      return;
    }
    // A table with each description's first sentence under its row, wrapped to the terminal
    // (80 columns when piped); --verbose gives the whole description.
    const width = process.stdout.columns || 80;
    const lines = table(['dataset', 'task', 'rows', 'features', 'classes'], datasets.map((d) => [d.key, d.task, String(d.rows), String(d.featureCount), d.classes ? String(d.classes.length) : '-'])).split('\n');
    const described = datasets.flatMap((d, i) => [lines[i + 2]!, wrapText(options.verbose ? d.description : firstSentence(d.description), width - 4, '    ')]);
    process.stdout.write([lines[0], lines[1], ...described].join('\n') + '\n');
  });

withGlobals(program.command('validate').argument('<spec>', 'search-space spec, YAML or JSON'))
  .description('run every check a sweep runs before training (spec, dataset, target, columns, task, model) without training')
  .action(async (specPath: string, options: GlobalOptions) => {
    const { checkSpecForRun } = await import('../engine/prepareStudy.js');
    try {
      const spec = readSpec(specPath);
      const checked = await checkSpecForRun(spec, dirname(resolve(specPath)));
      const { info } = checked.dataset;
      if (options.json) {
        process.stdout.write(JSON.stringify({ ok: true, plannedTrials: checked.plannedTrials, dataset: info, notes: checked.notes, spec }, null, 2) + '\n');
        return;
      }
      const lines = [
        `ok: ${count(checked.plannedTrials, 'trial')} planned (${spec.search.strategy})`,
        `dataset ${info.name}: ${count(info.rows, 'row')}, ${count(info.featureCount, 'feature')}, ${info.task}, target "${info.target}"`,
        ...checked.notes.map((note) => `note: ${note}`),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    } catch (error) {
      exitWith = reportError(error, Boolean(options.verbose), { isEveryIssueListed: true });
    }
  });

withGlobals(program.command('serve'))
  .description('serve the dashboard to a browser on 127.0.0.1, with a token')
  .option('--port <port>', 'port (default: a free one)', portNumber)
  .option('--open', 'open the default browser')
  .option('--insecure', 'listen on all interfaces (anyone on the network who has the token can use it)')
  .action(async (options: GlobalOptions & { port: number; open?: boolean; insecure?: boolean }) => {
    const { serveCommand } = await import('./serve.js');
    await serveCommand(options);
  });

async function exportModelCommand(ref: string, options: GlobalOptions & { top?: number; out?: string }, target: { dbPath: string; isForced: boolean }): Promise<number> {
  if (!options.out) throw new TunebenchError('ARGUMENT_INVALID', '--format model writes a folder: name it with --out', [{ where: '--out', message: 'required' }]);
  if (options.top !== undefined && options.top > 1) process.stderr.write(`note: --format model exports the best trial only (--top ${options.top} ignored)\n`);
  const { checkExportTarget } = await import('../export/writeExportFile.js');
  checkExportTarget(options.out, target, 'folder');
  return withService(options, async (service) => {
    const { path, trial, retrainedBecause } = await service.exportModel(ref, options.out as string, target);
    if (retrainedBecause) process.stderr.write(`note: trial ${trial.number} was trained again from its seed for this export: ${retrainedBecause}\n`);
    process.stderr.write(`wrote ${path} (trial ${trial.number}, weights of epoch ${trial.bestEpoch === null ? '?' : trial.bestEpoch + 1})\n`); // epochs read from 1
    return exitCode.ok;
  });
}

withGlobals(program.command('doctor'))
  .description('every training backend: available or why not, the GPU adapter, and steps/s on a fixed MLP and CNN')
  .option('--budget-ms <ms>', 'time per model and backend', positiveInt('--budget-ms'), 1000)
  .addOption(new Option('--backend <backends...>', 'only these backends').choices(backendNames))
  .action(async (options: GlobalOptions & { budgetMs: number; backend?: BackendName[] }) => {
    const { runDoctor } = await import('../training/doctor.js');
    const { doctorText } = await import('./doctor.js');
    const report = await runDoctor({ budgetMs: options.budgetMs, ...(options.backend ? { backends: options.backend } : {}) });
    process.stdout.write(options.json ? JSON.stringify(report, null, 2) + '\n' : doctorText(report));
  });

/** epoch:N counts from 1, as every epoch a person reads does; the API counts from 0. */
function parseValueMode(text: string): 'best' | 'last' | { epoch: number } {
  if (text === 'best' || text === 'last') return text;
  const match = /^epoch:(\d+)$/.exec(text);
  if (match && Number(match[1]) >= 1) return { epoch: Number(match[1]) - 1 };
  throw new TunebenchError('ARGUMENT_INVALID', `--value must be best, last or epoch:N with N from 1 (got "${text}")`);
}

/** Why some values at epoch N are missing: the study never trains that far, or trials stopped early. */
function epochWarnings(mode: ReturnType<typeof parseValueMode>, epochs: number, rows: readonly { epochsRun: number }[]): string[] {
  if (typeof mode !== 'object') return [];
  const wanted = mode.epoch + 1;
  if (wanted > epochs) return [`the study trains ${count(epochs, 'epoch')}; epoch ${wanted} has no values`];
  const short = rows.filter((row) => row.epochsRun < wanted).length;
  return short === 0 ? [] : [`${count(short, 'trial')} shown stopped before epoch ${wanted} (pruned, failed or still running): no value`];
}

addStudyCommands(program, withGlobals);
addLrFindCommand(program, withGlobals);
addWorkerCommands(program, withGlobals, positiveInt, (code) => {
  exitWith = code;
});
addGrowCommands(program, withGlobals, (code) => {
  exitWith = code;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    exitWith = error.exitCode === 0 ? exitCode.ok : exitCode.badInput;
  } else {
    exitWith = reportError(error, process.argv.includes('--verbose'));
  }
}
process.exitCode = exitWith;
