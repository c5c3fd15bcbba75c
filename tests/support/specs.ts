import type { StudySpec, StudySpecInput } from '../../core/api/spec.js';
import { validateSpec } from '../../core/space/parseSpec.js';

/** Test fixtures shared by the core/space and core/strategies tests (not used at run time). */

/** The example spec of DESIGN.md, verbatim. */
export const designExampleYaml = `name: iris-optimizers
dataset: builtin:iris                 # or { csv: data/weather.csv, target: weather }
model: { type: mlp, hidden: [16], activation: relu }   # linear | logistic | mlp | cnn
objective: { metric: val_accuracy, direction: maximize }
epochs: 30
validationSplit: 0.2
space:
  optimizer: { choice: [sgd, momentum, nesterov, adam, adagrad, rmsprop] }
  learningRate: { logUniform: [0.0001, 0.1], gridPoints: 4 }
  batchSize: { choice: [16, 32, 64, 128] }
  lrSchedule: { choice: [constant, exponential, step, inverse-time, cosine] }
search: { strategy: grid }            # or { strategy: random, trials: 60, seed: 7 }
workers: 2
seed: 42
`;

/** A valid minimal spec input; tests override parts of it. */
export function baseInput(overrides: Partial<StudySpecInput> = {}): StudySpecInput {
  return {
    dataset: 'builtin:iris',
    space: { optimizer: 'adam', learningRate: 0.01, batchSize: 32 },
    ...overrides,
  };
}

/** A validated spec with the given space (and search), defaults applied. */
export function specWith(space: StudySpecInput['space'], search?: StudySpecInput['search']): StudySpec {
  return validateSpec(baseInput(search ? { space, search } : { space }));
}
