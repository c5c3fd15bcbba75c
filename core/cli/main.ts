import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { TunebenchError } from '../api/errors.js';
import { listBuiltinDatasets } from '../data/index.js';
import { appPath, appVersion } from '../paths.js';
import type { GlobalOptions } from './context.js';
import { withService } from './context.js';
import { exitCode, reportError } from './exitCodes.js';
import { leaderboardTable, studiesTable, table } from './output.js';
import { runWithProgress } from './sweep.js';
import { readSpecFile } from './specFile.js';
import { writeOut } from './terminalText.js';

function positiveInt(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${name} must be a whole number of at least 1`);
    return value;
  };
}

/** A TCP port: a whole number 0-65535 (0 picks a free one). */
function portNumber(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value > 65_535) throw new InvalidArgumentError('--port must be a whole number from 0 to 65535');
  return value;
}

/** Writes an export file, naming the path and what to do when it cannot. */
function writeOutFile(path: string, text: string): void {
  try {
    writeFileSync(resolve(path), text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const hint = code === 'ENOENT' ? `the folder ${dirname(resolve(path))} does not exist; create it or choose another --out` : code === 'EISDIR' ? `${path} is a folder; give a file name` : `check that ${dirname(resolve(path))} is writable`;
    throw new TunebenchError('ARGUMENT_INVALID', `cannot write --out ${path} (${code}): ${hint}`, [{ where: path, message: code }]);
  }
}

/** Every command takes --db, --json and --verbose. */
function withGlobals(command: Command): Command {
  return command
    .option('--db <path>', 'database file (default: $TUNEBENCH_HOME/tunebench.db or the user data folder)')
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
  .action(async (specPath: string, options: GlobalOptions & { workers?: number; name?: string }) => {
    const text = readSpecFile(specPath);
    exitWith = await withService(options, async (service) => {
      const study = await service.studies.create({ spec: text, name: options.name, start: false });
      return runWithProgress(service, study, options);
    });
  });

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
  .addOption(new Option('--value <mode>', 'rank by the best epoch, the last epoch, or epoch N').default('best'))
  .action(async (ref: string, options: GlobalOptions & { top: number; value: string }) => {
    const valueMode = parseValueMode(options.value);
    await withService(options, async (service) => {
      const study = await service.study(ref);
      const page = await service.trials.page({ study: study.id, limit: options.top, valueMode });
      if (options.json) {
        writeOut(JSON.stringify({ study, total: page.total, trials: page.rows }, null, 2) + '\n');
        return;
      }
      const { direction, metric } = study.objective;
      const notes = [...new Set(page.rows.map((trial) => trial.backendNote).filter((note) => note))];
      const footer = notes.map((note) => `\nbackend note: ${note}`).join('');
      writeOut(`${study.name} (id ${study.id}, ${study.status}): ${direction} ${metric}, ${page.total} trials\n\n${leaderboardTable(page.rows)}\n${footer}${footer ? '\n' : ''}`);
    }, 'read');
  });

withGlobals(program.command('export').argument('<study>', 'study name or id'))
  .description('export the best (or top K) trials')
  .addOption(new Option('--format <format>', 'output format').choices(['json', 'yaml', 'csv', 'ts', 'html']).default('json'))
  .option('--top <k>', 'how many of the best trials', positiveInt('--top'), 1)
  .option('--out <file>', 'write to this file instead of stdout')
  .action(async (ref: string, options: GlobalOptions & { format: 'json'; top: number; out?: string }) => {
    await withService(options, async (service) => {
      const result = await service.exports.render({ study: ref, format: options.format, top: options.top });
      if (options.out) {
        writeOutFile(options.out, result.text);
        process.stderr.write(`wrote ${options.out}\n`);
      } else process.stdout.write(result.text.endsWith('\n') ? result.text : result.text + '\n');
    }, 'read');
  });

withGlobals(program.command('datasets'))
  .description('list the built-in datasets')
  .action(async (options: GlobalOptions) => {
    const datasets = listBuiltinDatasets();
    if (options.json) {
      process.stdout.write(JSON.stringify(datasets, null, 2) + '\n');
      return;
    }
    const rows = datasets.map((d) => [d.key, d.task, String(d.rows), String(d.featureCount), d.classes ? String(d.classes.length) : '-', d.description]);
    process.stdout.write(table(['dataset', 'task', 'rows', 'features', 'classes', 'description'], rows) + '\n');
  });

withGlobals(program.command('validate').argument('<spec>', 'search-space spec, YAML or JSON'))
  .description('check a spec and count its trials without running it')
  .action(async (specPath: string, options: GlobalOptions) => {
    const { parseSpecText } = await import('../space/parseSpec.js');
    const { createStrategy } = await import('../strategies/createStrategy.js');
    const spec = parseSpecText(readSpecFile(specPath), specPath);
    const planned = createStrategy(spec).plannedTrials;
    process.stdout.write(options.json ? JSON.stringify({ ok: true, plannedTrials: planned, spec }, null, 2) + '\n' : `ok: ${planned} trials planned (${spec.search.strategy})\n`);
  });

withGlobals(program.command('serve'))
  .description('serve the dashboard to a browser on 127.0.0.1, with a token')
  .option('--port <port>', 'port (default: a free one)', portNumber, 0)
  .option('--open', 'open the default browser')
  .option('--insecure', 'listen on all interfaces (anyone on the network who has the token can use it)')
  .action(async (options: GlobalOptions & { port: number; open?: boolean; insecure?: boolean }) => {
    const { serveCommand } = await import('./serve.js');
    await serveCommand(options);
  });

function parseValueMode(text: string): 'best' | 'last' | { epoch: number } {
  if (text === 'best' || text === 'last') return text;
  const match = /^epoch:(\d+)$/.exec(text);
  if (match) return { epoch: Number(match[1]) };
  throw new TunebenchError('ARGUMENT_INVALID', `--value must be best, last or epoch:N (got "${text}")`);
}

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
