import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { optimizerNames, scheduleNames, type TrialParams } from '../api/spec.js';
import { optimizerDefaults } from '../training/optimizers.js';
import { lrAt } from '../training/schedules.js';
import { irisInfo, mnistInfo, regressionInfo, snippetFor as fixture } from '../../tests/support/export.js';
import { scheduleCode } from './tsSnippetParts.js';

function diagnostics(code: string): string[] {
  const out = ts.transpileModule(code, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  return (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('tsSnippet', () => {
  it('is valid TypeScript for every optimizer and schedule, classifier and regressor', () => {
    const variants: TrialParams[] = [
      ...optimizerNames.map((optimizer) => ({ optimizer, learningRate: 0.01, batchSize: 8, lrSchedule: 'constant' as const })),
      ...scheduleNames.map((lrSchedule) => ({ optimizer: 'adam' as const, learningRate: 0.01, batchSize: 8, lrSchedule })),
    ];
    for (const params of variants) {
      for (const dataset of [irisInfo, regressionInfo]) {
        const code = fixture(params, {}, dataset, 'cpu');
        expect(diagnostics(code), `${params.optimizer} ${params.lrSchedule} ${dataset.task}`).toEqual([]);
        expect(code).toContain(`const METRIC_NAMES = ['${dataset.task === 'classification' ? 'accuracy' : 'mae'}'`);
      }
    }
  });

  it('spells out the optimizer constants tfjs gets in core/training', () => {
    const code = (optimizer: TrialParams['optimizer']) => fixture({ optimizer, learningRate: 0.1, batchSize: 8, lrSchedule: 'constant' }, {}, irisInfo, 'cpu');
    const d = optimizerDefaults;
    expect(code('adam')).toContain(`tf.train.adam(LEARNING_RATE, ${d.adam.beta1}, ${d.adam.beta2})`);
    expect(code('rmsprop')).toContain(`tf.train.rmsprop(LEARNING_RATE, ${d.rmsprop.decay}, ${d.rmsprop.momentum})`);
    expect(code('adagrad')).toContain(`tf.train.adagrad(LEARNING_RATE, ${d.adagrad.initialAccumulatorValue})`);
    expect(code('momentum')).toContain(`tf.train.momentum(LEARNING_RATE, ${d.momentum}, false)`);
    expect(code('sgd')).toContain('(optimizer as tf.SGDOptimizer).setLearningRate(lr)');
    expect(code('adam')).toContain('(optimizer as unknown as { learningRate: number }).learningRate = lr');
  });

  it('writes each schedule as a function equal to lrAt', () => {
    const cases: TrialParams[] = scheduleNames.map((lrSchedule) => ({ optimizer: 'sgd', learningRate: 0.3, batchSize: 8, lrSchedule }));
    cases.push({ optimizer: 'sgd', learningRate: 0.3, batchSize: 8, lrSchedule: 'step', decayRate: 0.7, decaySteps: 3 });
    cases.push({ optimizer: 'sgd', learningRate: 0.3, batchSize: 8, lrSchedule: 'cosine', minLrFraction: 0.1 });
    cases.push({ optimizer: 'sgd', learningRate: 0.3, batchSize: 8, lrSchedule: 'inverse-time', decay: 0.5 });
    for (const params of cases) {
      const js = ts.transpile(`const LEARNING_RATE = ${params.learningRate}; const EPOCHS = 9;\n${scheduleCode(params)}\nreturn learningRateAt;`);
      const learningRateAt = new Function(js)() as (epoch: number) => number;
      for (let epoch = 0; epoch < 9; epoch++) expect(learningRateAt(epoch)).toBeCloseTo(lrAt(params, epoch, 9), 12);
    }
  });

  it('builds a cnn with the image shape, and on wasm registers the missing conv kernel', () => {
    const code = fixture({ optimizer: 'adam', learningRate: 0.01, batchSize: 32, lrSchedule: 'constant' }, { type: 'cnn', hidden: [] }, mnistInfo, 'wasm');
    expect(diagnostics(code)).toEqual([]);
    expect(code).toContain('tf.layers.reshape({ targetShape: [28,28,1], inputShape: [FEATURES] })');
    expect(code).toContain("tf.layers.conv2d({ filters: 8, kernelSize: 3, activation: 'relu', kernelInitializer: init(768) })");
    expect(code).toContain("tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', kernelInitializer: init(769) })");
    expect(code).toContain('tf.layers.dense({ units: 10, activation: "linear", kernelInitializer: init(770) })');
    expect(code).toMatch(/const kernelsModule = ".*\/core\/training\/wasmKernels\.ts";\n.*\n  kernels\.registerWasmTrainingKernels\(\);\n  await tf\.setBackend\('wasm'\);/);
    expect(code).toContain('const TUNEBENCH = "/x/core/data/index.ts";');
  });
});
