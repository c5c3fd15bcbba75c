import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { studySpecSchema } from '../../../core/api/spec.js';
import { buildSpec, defaultWizardState, localTrialCount, parseIntList, parseOptionalNumber } from './specBuilder.js';
import { wizardFromYaml } from './specImport.js';

describe('buildSpec', () => {
  it('turns the default wizard into a spec the shared schema accepts', () => {
    const { spec, problems } = buildSpec(defaultWizardState());
    expect(problems).toEqual([]);
    const parsed = studySpecSchema.parse(spec);
    expect(parsed.dataset).toBe('builtin:iris');
    expect(parsed.space.learningRate).toEqual({ logUniform: [0.001, 0.1], gridPoints: 3 });
    expect(parsed.space.batchSize).toEqual({ choice: [16, 32] });
    expect(parsed.space.optimizer).toEqual({ choice: ['sgd', 'adam'] });
    expect(parsed.search).toEqual({ strategy: 'grid' });
    expect(parsed.objective).toEqual({ metric: 'val_accuracy', direction: 'maximize' });
  });

  it('sends only the schedule and optimizer knobs that apply', () => {
    const state = { ...defaultWizardState(), optimizers: ['nesterov' as const], schedules: ['step' as const, 'cosine' as const] };
    const { spec } = buildSpec(state);
    expect(spec.space.momentum).toBe(0.9);
    expect(spec.space.decayRate).toBe(0.5);
    expect(spec.space.decaySteps).toBe(10);
    expect(spec.space.minLrFraction).toBe(0);
    expect(spec.space.decay).toBeUndefined();
    expect(studySpecSchema.safeParse(spec).success).toBe(true);
  });

  it('sends dropColumns and testSplit only when set, and reads them back from a spec', () => {
    const plain = buildSpec({ ...defaultWizardState(), datasetMode: 'csv', csvPath: '/d/x.csv', csvTarget: 'y' }).spec;
    expect(plain.dataset).toEqual({ csv: '/d/x.csv', target: 'y', task: 'classification' });
    expect(plain.testSplit).toBeUndefined();
    const state = { ...defaultWizardState(), datasetMode: 'csv' as const, csvPath: '/d/x.csv', csvTarget: 'y', csvDropColumns: ['id'], testSplit: 0.15 };
    const { spec } = buildSpec(state);
    const parsed = studySpecSchema.parse(spec);
    expect(parsed.dataset).toEqual({ csv: '/d/x.csv', target: 'y', task: 'classification', dropColumns: ['id'] });
    expect(parsed.testSplit).toBe(0.15);
    const back = wizardFromYaml(stringify(spec));
    expect(back.ok && back.imported.state.csvDropColumns).toEqual(['id']);
    expect(back.ok && back.imported.state.testSplit).toBe(0.15);
  });

  it('sends the pruner and the limits the form sets, and reads them back from a spec', () => {
    const defaults = studySpecSchema.parse(buildSpec(defaultWizardState()).spec);
    expect(defaults.limits).toEqual(studySpecSchema.parse({ dataset: 'builtin:iris', space: { optimizer: 'adam', learningRate: 0.01, batchSize: 16 } }).limits);
    const state = { ...defaultWizardState(), pruner: 'asha' as const, trialTimeoutSeconds: 90, maxRetries: 0, maxConsecutiveFailures: 12 };
    const parsed = studySpecSchema.parse(buildSpec(state).spec);
    expect(parsed.pruner.type).toBe('asha');
    expect(parsed.limits).toEqual({ trialTimeoutSeconds: 90, maxRetries: 0, maxConsecutiveFailures: 12 });
    const back = wizardFromYaml(stringify(buildSpec(state).spec));
    expect(back.ok && [back.imported.state.trialTimeoutSeconds, back.imported.state.maxRetries, back.imported.state.maxConsecutiveFailures]).toEqual([90, 0, 12]);
    const budget = wizardFromYaml(stringify({ ...buildSpec(state).spec, limits: { maxMinutes: 30 } }));
    expect(budget.ok && studySpecSchema.parse(buildSpec(budget.imported.state).spec).limits.maxMinutes).toBe(30);
    const bad = studySpecSchema.safeParse(buildSpec({ ...state, maxRetries: 11 }).spec);
    expect(bad.success ? [] : bad.error.issues.map((issue) => issue.path.join('/'))).toEqual(['limits/maxRetries']);
  });

  it('round-trips the time budget and packing through spec and YAML, and sends neither when unset', () => {
    const plain = buildSpec(defaultWizardState()).spec;
    expect(plain.packing).toBeUndefined();
    expect(plain.limits?.maxMinutes).toBeUndefined();
    const state = { ...defaultWizardState(), maxMinutes: 30, isPacking: true, packMaxTrials: 8 };
    const { spec, problems } = buildSpec(state);
    expect(problems).toEqual([]);
    const parsed = studySpecSchema.parse(spec);
    expect(parsed.limits.maxMinutes).toBe(30);
    expect(parsed.packing).toEqual({ maxTrials: 8 });
    const yaml = stringify(spec);
    expect(yaml).toMatch(/maxMinutes: 30/);
    expect(yaml).toMatch(/packing:\n\s+maxTrials: 8/);
    const back = wizardFromYaml(yaml);
    expect(back.ok && back.imported.approximations).toEqual([]);
    expect(back.ok && back.imported.state).toEqual(state);
  });

  it('keeps the packing of an imported spec', () => {
    const text = 'dataset: builtin:iris\nspace: { optimizer: sgd, learningRate: 0.1, batchSize: 16 }\npacking: { maxTrials: 4 }\n';
    const imported = wizardFromYaml(text);
    expect(imported.ok).toBe(true);
    if (!imported.ok) return;
    expect(studySpecSchema.parse(buildSpec(imported.imported.state).spec).packing).toEqual({ maxTrials: 4 });
    // maxTrials 1 packs nothing: the form turns packing off and says so.
    const single = wizardFromYaml(text.replace('maxTrials: 4', 'maxTrials: 1'));
    expect(single.ok && single.imported.state.isPacking).toBe(false);
    expect(single.ok && single.imported.approximations).toEqual(['packing: maxTrials 1 trains each trial alone, as packing off does']);
  });

  it('clears a budget and packing when the store assigns a fresh state (Start over) or a spec without them', () => {
    const edited = { ...defaultWizardState(), maxMinutes: 30, isPacking: true, packMaxTrials: 8 };
    // The wizard store replaces its draft with Object.assign: a key missing from the new state would survive.
    Object.assign(edited, defaultWizardState());
    expect([edited.maxMinutes, edited.isPacking]).toEqual([undefined, false]);
    const loaded = { ...defaultWizardState(), maxMinutes: 30, isPacking: true };
    const imported = wizardFromYaml(stringify(buildSpec(defaultWizardState()).spec));
    if (imported.ok) Object.assign(loaded, imported.imported.state);
    expect(buildSpec(loaded).spec).toEqual(buildSpec(defaultWizardState()).spec);
  });

  it('names the field of a bad budget or pack size', () => {
    const issuesOf = (state: ReturnType<typeof defaultWizardState>) => {
      const built = buildSpec(state);
      const parsed = studySpecSchema.safeParse(built.spec);
      return [...built.problems.map((problem) => problem.where), ...(parsed.success ? [] : parsed.error.issues.map((issue) => '/' + issue.path.join('/')))];
    };
    expect(issuesOf({ ...defaultWizardState(), maxMinutes: 0 })).toEqual(['/limits/maxMinutes']);
    expect(issuesOf({ ...defaultWizardState(), maxMinutes: 200_000 })).toEqual(['/limits/maxMinutes']);
    expect(issuesOf({ ...defaultWizardState(), isPacking: true, packMaxTrials: 100 })).toEqual(['/packing/maxTrials']);
    expect(issuesOf({ ...defaultWizardState(), isPacking: true, packMaxTrials: 1 })).toEqual(['/packing/maxTrials']);
    // Off, a leftover size is not sent, so it cannot be wrong.
    expect(issuesOf({ ...defaultWizardState(), isPacking: false, packMaxTrials: 100 })).toEqual([]);
  });

  it('builds a csv dataset, a linear scale and a random search', () => {
    const state = {
      ...defaultWizardState(),
      name: '  weather  ',
      datasetMode: 'csv' as const,
      csvPath: '/data/weather.csv',
      csvTarget: 'rain',
      csvTask: 'regression' as const,
      modelType: 'linear' as const,
      lrLog: false,
      strategy: 'random' as const,
      trials: 12,
      searchSeed: 3,
    };
    const { spec, problems } = buildSpec(state);
    expect(problems).toEqual([]);
    expect(spec.name).toBe('weather');
    expect(spec.dataset).toEqual({ csv: '/data/weather.csv', target: 'rain', task: 'regression' });
    expect(spec.model).toMatchObject({ type: 'linear', hidden: [] });
    expect(spec.space.learningRate).toEqual({ uniform: [0.001, 0.1] });
    expect(spec.search).toEqual({ strategy: 'random', trials: 12, seed: 3 });
    expect(studySpecSchema.safeParse(spec).success).toBe(true);
  });

  it('reports form problems with the field they are about', () => {
    const state = { ...defaultWizardState(), batchSizes: '16, x', optimizers: [], hidden: '8,-1' };
    const wheres = buildSpec(state).problems.map((problem) => problem.where);
    expect(wheres).toEqual(['/space/batchSize', '/model/hidden', '/space/optimizer']);
  });

  it('lets the schema catch a learning-rate range below zero on a log scale', () => {
    const { spec } = buildSpec({ ...defaultWizardState(), lrLow: -1 });
    const result = studySpecSchema.safeParse(spec);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['space', 'learningRate', 'logUniform']);
  });
});

describe('helpers', () => {
  it('parses integer lists and rejects junk', () => {
    expect(parseIntList('16, 32 64;128')).toEqual([16, 32, 64, 128]);
    expect(parseIntList('16, 0')).toBeNull();
    expect(parseIntList('1.5')).toBeNull();
    expect(parseIntList('')).toEqual([]);
  });

  it('reads an empty number field as unset', () => {
    expect(parseOptionalNumber('')).toBeUndefined();
    expect(parseOptionalNumber('  ')).toBeUndefined();
    expect(parseOptionalNumber('2.5')).toBe(2.5);
    expect(parseOptionalNumber('0')).toBe(0);
  });

  it('counts grid trials as the product of the choices', () => {
    expect(localTrialCount(defaultWizardState())).toBe(2 * 3 * 2 * 1);
    expect(localTrialCount({ ...defaultWizardState(), lrHigh: 0.001 })).toBe(4);
    expect(localTrialCount({ ...defaultWizardState(), strategy: 'random', trials: 9 })).toBe(9);
  });
});

describe('wizardFromYaml', () => {
  it('round-trips a built spec through YAML', () => {
    const original = { ...defaultWizardState(), name: 'iris', schedules: ['constant' as const, 'exponential' as const] };
    const result = wizardFromYaml(stringify(buildSpec(original).spec));
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.imported.approximations).toEqual([]);
      expect(result.imported.state).toEqual(original);
    }
  });

  it('names the field of a schema error and the line of a YAML error', () => {
    const bad = wizardFromYaml('dataset: builtin:iris\nspace:\n  optimizer: adamw\n  learningRate: 0.1\n  batchSize: 8\n');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]?.where).toBe('/space/optimizer');
    const broken = wizardFromYaml('dataset: [unclosed');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.issues[0]?.where).toBe('YAML');
  });

  it('notes what the form approximates', () => {
    const text = 'dataset: builtin:iris\nspace:\n  optimizer: adam\n  learningRate: { choice: [0.1, 0.01] }\n  batchSize: { intRange: [10, 64] }\n';
    const result = wizardFromYaml(text);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.imported.state.batchSizes).toBe('16, 32, 64');
      expect(result.imported.state.lrLow).toBe(0.01);
      expect(result.imported.state.lrPoints).toBe(2);
      expect(result.imported.approximations).toEqual(['learningRate: a list became the range it spans']);
    }
  });

  it('says a tuned model is kept fixed by the form instead of dropping it silently', () => {
    const text = 'dataset: builtin:iris\nspace:\n  optimizer: adam\n  learningRate: 0.01\n  batchSize: 16\n  hiddenLayers: { choice: [1, 2] }\n  l2: 0.001\n';
    const result = wizardFromYaml(text);
    expect(result.ok && result.imported.approximations.map((note) => note.split(':')[0])).toEqual(['hiddenLayers', 'l2']);
  });
});
