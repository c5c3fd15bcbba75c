import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TunebenchError } from '../api/errors.js';
import type { StudySpecInput } from '../api/spec.js';
import { baseInput, designExampleYaml } from '../../tests/support/specs.js';
import { expandGrid } from './grid.js';
import { parseSpecText, validateSpec } from './parseSpec.js';

function failure(run: () => unknown): TunebenchError {
  try {
    run();
  } catch (error) {
    if (error instanceof TunebenchError) return error;
    throw error;
  }
  throw new Error('expected a TunebenchError');
}

const space = baseInput().space;

describe('parseSpecText: good specs', () => {
  it('parses the DESIGN.md example with its values and defaults', () => {
    const spec = parseSpecText(designExampleYaml, 'design.yaml');
    expect(spec.name).toBe('iris-optimizers');
    expect(spec.dataset).toBe('builtin:iris');
    expect(spec.model).toEqual({ type: 'mlp', hidden: [16], activation: 'relu', dropout: 0 });
    expect(spec.space.learningRate).toEqual({ logUniform: [0.0001, 0.1], gridPoints: 4 });
    expect(spec.search).toEqual({ strategy: 'grid' });
    expect(spec.limits.maxRetries).toBe(1);
    // 6 optimizers x 4 rates x 4 sizes x 5 schedules; conditional params at their defaults.
    expect(expandGrid(spec)).toHaveLength(480);
  });

  it('reads the same spec written as JSON', () => {
    const yamlSpec = parseSpecText(designExampleYaml);
    const json = JSON.stringify(yamlSpec, null, 2);
    expect(parseSpecText(json, 'design.json')).toEqual(yamlSpec);
    expect(parseSpecText(JSON.stringify(yamlSpec))).toEqual(yamlSpec);
  });

  it('accepts random search over lists and fills defaults', () => {
    const spec = validateSpec(
      baseInput({
        space: { optimizer: { choice: ['sgd', 'adam'] }, learningRate: { choice: [0.1, 0.01] }, batchSize: { choice: [8] } },
        search: { strategy: 'random', trials: 5 },
      }),
    );
    expect(spec.search).toEqual({ strategy: 'random', trials: 5 });
    expect(spec.space.lrSchedule).toBe('constant');
    expect(spec.epochs).toBe(20);
  });

  it('parses both sample specs in resources/specs', () => {
    const read = (name: string) => readFileSync(new URL(`../../resources/specs/${name}`, import.meta.url), 'utf8');
    const grid = parseSpecText(read('iris-grid.yaml'), 'iris-grid.yaml');
    expect(grid.search.strategy).toBe('grid');
    expect(grid.objective).toEqual({ metric: 'val_accuracy', direction: 'maximize' });
    expect(expandGrid(grid)).toHaveLength(8);
    const random = parseSpecText(read('iris-random.yaml'), 'iris-random.yaml');
    expect(random.search).toEqual({ strategy: 'random', trials: 12, seed: 7 });
  });
});

const gridOfBillion: StudySpecInput['space'] = {
  optimizer: { choice: ['momentum', 'nesterov'] },
  learningRate: { uniform: [0.001, 0.1], gridPoints: 1000 },
  batchSize: { intRange: [1, 500], powersOfTwo: false },
  momentum: { uniform: [0.5, 0.99], gridPoints: 1000 },
};

const badSpecs: { name: string; input: unknown; where: string; says: RegExp }[] = [
  { name: 'unknown top-level key', input: { ...baseInput(), epochz: 3 }, where: '/epochz', says: /unknown key "epochz".*did you mean "epochs"/ },
  { name: 'unknown key inside space', input: baseInput({ space: { ...space, epsilon: 0.1 } as StudySpecInput['space'] }), where: '/space/epsilon', says: /unknown key "epsilon"/ },
  { name: 'units3 deeper than hiddenLayers reaches', input: baseInput({ space: { ...space, hiddenLayers: { choice: [1, 2] }, units3: 8 } }), where: '/space/units3', says: /hidden layer 3.*hiddenLayers never reaches 3/ },
  { name: 'units2 with a one-layer model', input: baseInput({ space: { ...space, units2: 8 } }), where: '/space/units2', says: /\/model\/hidden has 1 layer/ },
  { name: 'dropout above 0.9', input: baseInput({ space: { ...space, dropout: { choice: [0.2, 0.95] } } }), where: '/space/dropout/choice/1', says: /dropout must be in \[0, 0.9\]/ },
  { name: 'fractional hiddenLayers', input: baseInput({ space: { ...space, hiddenLayers: 1.5 } }), where: '/space/hiddenLayers', says: /whole number/ },
  { name: 'activation on a linear model', input: baseInput({ model: { type: 'logistic' }, space: { ...space, activation: { choice: ['relu', 'tanh'] } } }), where: '/space/activation', says: /only mlp and cnn models have; \/model\/type is logistic/ },
  { name: 'an l2 range in a grid without gridPoints', input: baseInput({ space: { ...space, l2: { logUniform: [1e-5, 1e-2] } } }), where: '/space/l2', says: /gridPoints/ },
  { name: 'unknown optimizer', input: baseInput({ space: { ...space, optimizer: 'adamw' as 'adam' } }), where: '/space/optimizer', says: /unknown optimizer "adamw"; allowed: sgd, momentum/ },
  { name: 'unknown optimizer in a choice', input: baseInput({ space: { ...space, optimizer: { choice: ['sgd', 'lion' as 'sgd'] } } }), where: '/space/optimizer/choice/1', says: /unknown optimizer "lion"/ },
  { name: 'low > high', input: baseInput({ space: { ...space, learningRate: { uniform: [0.1, 0.01] } } }), where: '/space/learningRate/uniform', says: /low must not exceed high/ },
  { name: 'logUniform low <= 0', input: baseInput({ space: { ...space, learningRate: { logUniform: [0, 0.1] } } }), where: '/space/learningRate/logUniform', says: /low bound above 0/ },
  { name: 'empty choice', input: baseInput({ space: { ...space, batchSize: { choice: [] } } }), where: '/space/batchSize/choice', says: /at least one value/ },
  { name: 'gridPoints 0', input: baseInput({ space: { ...space, learningRate: { uniform: [0.01, 0.1], gridPoints: 0 } } }), where: '/space/learningRate/gridPoints', says: /at least 1/ },
  { name: 'epochs 0', input: baseInput({ epochs: 0 }), where: '/epochs', says: /at least 1/ },
  { name: 'validationSplit 1', input: baseInput({ validationSplit: 1 }), where: '/validationSplit', says: /below 1/ },
  { name: 'random without trials', input: baseInput({ search: { strategy: 'random' } as StudySpecInput['search'] }), where: '/search/trials', says: /trials is required/ },
  { name: 'unknown strategy', input: baseInput({ search: { strategy: 'bayes' } as unknown as StudySpecInput['search'] }), where: '/search/strategy', says: /allowed: grid, random, tpe, sobol/ },
  { name: 'missing space', input: { dataset: 'builtin:iris' }, where: '/space', says: /space is required/ },
  { name: 'a domain of the wrong form', input: baseInput({ space: { ...space, learningRate: 'fast' as unknown as number } }), where: '/space/learningRate', says: /logUniform: \[low, high\].*got "fast"/ },
  { name: 'grid range without gridPoints', input: baseInput({ space: { ...space, learningRate: { logUniform: [0.001, 0.1] } } }), where: '/space/learningRate', says: /a range needs gridPoints for grid search/ },
  { name: 'momentum without a momentum optimizer', input: baseInput({ space: { ...space, momentum: 0.8 } }), where: '/space/momentum', says: /only to the momentum and nesterov optimizers/ },
  { name: 'cosine floor without cosine', input: baseInput({ space: { ...space, lrSchedule: 'step', minLrFraction: 0.1 } }), where: '/space/minLrFraction', says: /only to the cosine schedule/ },
  { name: 'learning rate 0 in a choice', input: baseInput({ space: { ...space, learningRate: { choice: [0.1, 0] } } }), where: '/space/learningRate/choice/1', says: /above 0/ },
  { name: 'momentum above 1', input: baseInput({ space: { ...space, optimizer: 'momentum', momentum: { choice: [0.9, 1.5] } } }), where: '/space/momentum/choice/1', says: /momentum must be in \[0, 1\]/ },
  { name: 'fractional decaySteps', input: baseInput({ space: { ...space, lrSchedule: 'step', decaySteps: 2.5 } }), where: '/space/decaySteps', says: /whole number/ },
  { name: 'batch intRange without a power of two', input: baseInput({ space: { ...space, batchSize: { intRange: [33, 60] } } }), where: '/space/batchSize/intRange', says: /no power of two/ },
  { name: 'a grid of 1e9 trials', input: baseInput({ space: gridOfBillion }), where: '/space', says: /1,000,000,000 trials, more than the limit of 100,000/ },
  { name: 'not a mapping', input: [1, 2], where: '/', says: /expected a mapping, got a list/ },
  { name: 'a key with a slash (escaped pointer)', input: { ...baseInput(), 'a/b~c': 1 }, where: '/a~1b~0c', says: /unknown key "a\/b~c"/ },
  { name: 'an own __proto__ key', input: JSON.parse('{"__proto__": {"epochs": 1}, "dataset": "builtin:iris", "space": {"optimizer": "sgd", "learningRate": 0.1, "batchSize": 8}}'), where: '/__proto__', says: /unknown key "__proto__"/ },
];

describe('validateSpec: bad specs', () => {
  it.each(badSpecs)('rejects $name at $where', ({ input, where, says }) => {
    const error = failure(() => validateSpec(input));
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.isUserInput).toBe(true);
    const issue = error.issues.find((candidate) => candidate.where === where);
    expect(issue, JSON.stringify(error.issues)).toBeDefined();
    expect(issue?.message).toMatch(says);
    expect(error.message).toContain(where);
  });

  it('reports every issue and names the first ones in one paragraph', () => {
    const error = failure(() => validateSpec({ ...baseInput({ epochs: 0, validationSplit: 2 }), foo: 1, bar: 2 }));
    expect(error.issues.map((issue) => issue.where).sort()).toEqual(['/bar', '/epochs', '/foo', '/validationSplit']);
    expect(error.message).toMatch(/^Invalid spec in the spec: \/epochs: must be at least 1; .*\(and 1 more issue\)\.$/);
    expect(error.message).not.toContain('\n');
  });

  it('sizes a huge grid without expanding it', () => {
    const started = performance.now();
    failure(() => validateSpec(baseInput({ space: gridOfBillion })));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('parseSpecText: unreadable text', () => {
  it('reports a YAML syntax error with its line', () => {
    const error = failure(() => parseSpecText('dataset: builtin:iris\nspace: [1, 2\nepochs: 3\n', 'broken.yaml'));
    expect(error.code).toBe('SPEC_PARSE');
    expect(error.issues[0]?.where).toMatch(/^line 3, column \d+$/);
    expect(error.message).toMatch(/^Cannot read broken\.yaml as YAML: line 3/);
  });

  it('rejects duplicate keys, naming the key and line', () => {
    const error = failure(() => parseSpecText(designExampleYaml + 'epochs: 5\n'));
    expect(error.code).toBe('SPEC_PARSE');
    expect(error.issues[0]).toEqual({ where: 'line 15, column 1', message: 'duplicate key "epochs" (keys must be unique)' });
  });

  it('rejects duplicate keys in JSON too', () => {
    const error = failure(() => parseSpecText('{"dataset": "builtin:iris", "dataset": "builtin:wine"}', 'x.json'));
    expect(error.code).toBe('SPEC_PARSE');
    expect(error.message).toMatch(/as JSON: line 1, column \d+: duplicate key "dataset"/);
  });

  it('rejects a billion-laughs alias bomb before building it', () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [index, name] of [...'bcdefghi'].entries()) {
      const previous = 'abcdefghi'[index];
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
    }
    const error = failure(() => parseSpecText(levels.join('\n') + '\n'));
    expect(error.code).toBe('SPEC_PARSE');
    expect(error.issues[0]?.where).toBe('line 2, column 8');
    expect(error.issues[0]?.message).toMatch(/too many alias expansions/);
  });

  it('still allows a few honest aliases', () => {
    const text = designExampleYaml.replace('epochs: 30', 'epochs: &e 30\nworkers2: *e').replace('workers: 2\n', '');
    const error = failure(() => parseSpecText(text));
    expect(error.code).toBe('SPEC_INVALID'); // parsed fine; only the unknown key is wrong
    expect(error.issues[0]?.where).toBe('/workers2');
  });

  it.each([
    ['a list', '- 1\n- 2\n'],
    ['a single value', '42\n'],
    ['an empty document', '# nothing\n'],
  ])('rejects %s as the document', (got, text) => {
    const error = failure(() => parseSpecText(text));
    expect(error.code).toBe('SPEC_INVALID');
    expect(error.issues).toEqual([{ where: '/', message: `the spec must be a mapping of fields (dataset, space, ...), not ${got}` }]);
  });

  it('rejects more than one YAML document', () => {
    expect(failure(() => parseSpecText(designExampleYaml + '---\nseed: 1\n')).code).toBe('SPEC_PARSE');
  });
});
