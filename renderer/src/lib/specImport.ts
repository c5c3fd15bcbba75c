import { parse as parseYaml } from 'yaml';
import type { ErrorIssue } from '../../../core/api/errors.js';
import type { BatchDomain, NumericDomain, StudySpec } from '../../../core/api/spec.js';
import { studySpecSchema } from '../../../core/api/spec.js';
import { defaultWizardState, type WizardState } from './specBuilder.js';

export interface ImportedSpec {
  state: WizardState;
  /** Fields the form cannot express exactly and changed on the way in. */
  approximations: string[];
}

function fixedValue(domain: NumericDomain, field: string, notes: string[]): number {
  if (typeof domain === 'number') return domain;
  notes.push(`${field}: the form keeps one value`);
  if ('choice' in domain) return domain.choice[0] ?? 0;
  return 'uniform' in domain ? domain.uniform[0] : domain.logUniform[0];
}

function choices<T extends string>(domain: T | { choice: T[] }): T[] {
  return typeof domain === 'string' ? [domain] : [...domain.choice];
}

function batchList(domain: BatchDomain, notes: string[]): number[] {
  if (typeof domain === 'number') return [domain];
  if ('choice' in domain) return domain.choice;
  const [low, high] = domain.intRange;
  if (!domain.powersOfTwo) notes.push('batchSize: an integer range became its powers of two');
  const sizes: number[] = [];
  for (let size = 1; size <= high; size *= 2) if (size >= low) sizes.push(size);
  return sizes.length > 0 ? sizes : [low];
}

function applyLearningRate(state: WizardState, domain: NumericDomain, notes: string[]): void {
  if (typeof domain === 'number') {
    state.lrLow = state.lrHigh = domain;
    state.lrPoints = 1;
  } else if ('choice' in domain) {
    notes.push('learningRate: a list became the range it spans');
    state.lrLow = Math.min(...domain.choice);
    state.lrHigh = Math.max(...domain.choice);
    state.lrPoints = domain.choice.length;
    state.lrLog = state.lrLow > 0;
  } else {
    const isLog = 'logUniform' in domain;
    [state.lrLow, state.lrHigh] = isLog ? domain.logUniform : domain.uniform;
    state.lrLog = isLog;
    state.lrPoints = domain.gridPoints ?? state.lrPoints;
  }
}

/** Fills the wizard from a validated spec (e.g. loaded YAML or an existing study). */
export function wizardFromSpec(spec: StudySpec): ImportedSpec {
  const notes: string[] = [];
  const state = defaultWizardState();
  state.name = spec.name ?? '';
  if (typeof spec.dataset === 'string') {
    state.datasetMode = 'builtin';
    state.builtinKey = spec.dataset;
  } else {
    state.datasetMode = 'csv';
    state.csvPath = spec.dataset.csv;
    state.csvTarget = spec.dataset.target;
    state.csvTask = spec.dataset.task ?? 'classification';
    state.csvDropColumns = [...(spec.dataset.dropColumns ?? [])];
  }
  state.modelType = spec.model.type;
  state.hidden = spec.model.hidden.join(', ');
  state.activation = spec.model.activation;
  state.dropout = spec.model.dropout;
  state.metric = spec.objective.metric;
  state.direction = spec.objective.direction;
  state.epochs = spec.epochs;
  state.validationSplit = spec.validationSplit;
  state.testSplit = spec.testSplit ?? 0;
  state.optimizers = choices(spec.space.optimizer);
  state.schedules = choices(spec.space.lrSchedule);
  state.batchSizes = batchList(spec.space.batchSize, notes).join(', ');
  applyLearningRate(state, spec.space.learningRate, notes);
  const space = spec.space;
  if (space.momentum !== undefined) state.momentum = fixedValue(space.momentum, 'momentum', notes);
  if (space.decayRate !== undefined) state.schedule.decayRate = fixedValue(space.decayRate, 'decayRate', notes);
  if (space.decaySteps !== undefined) state.schedule.decaySteps = fixedValue(space.decaySteps, 'decaySteps', notes);
  if (space.decay !== undefined) state.schedule.decay = fixedValue(space.decay, 'decay', notes);
  if (space.minLrFraction !== undefined) {
    state.schedule.minLrFraction = fixedValue(space.minLrFraction, 'minLrFraction', notes);
  }
  // The form fixes the model; a spec that tunes it says so instead of dropping it silently.
  for (const name of ['hiddenLayers', 'units1', 'units2', 'units3', 'units4', 'activation', 'dropout', 'l2'] as const) {
    if (space[name] !== undefined) notes.push(`${name}: the form has no field for a tuned model and keeps the model above; edit the spec text to tune it`);
  }
  state.strategy = spec.search.strategy;
  state.pruner = spec.pruner.type;
  if (spec.search.strategy !== 'grid') {
    state.trials = spec.search.trials;
    state.searchSeed = spec.search.seed ?? state.searchSeed;
  }
  if (spec.workers !== undefined) state.workers = spec.workers;
  if (spec.packing && spec.packing.maxTrials > 1) {
    state.isPacking = true;
    state.packMaxTrials = spec.packing.maxTrials;
  } else if (spec.packing) {
    notes.push('packing: maxTrials 1 trains each trial alone, as packing off does');
  }
  state.seed = spec.seed;
  Object.assign(state, spec.limits);
  return { state, approximations: notes };
}

export type YamlResult = { ok: true; imported: ImportedSpec } | { ok: false; issues: ErrorIssue[] };

/** Parses YAML (or JSON) spec text and checks it with the shared schema, naming bad fields. */
export function wizardFromYaml(text: string): YamlResult {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? error.message : String(error);
    return { ok: false, issues: [{ where: 'YAML', message: message }] };
  }
  const parsed = studySpecSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      where: '/' + issue.path.map(String).join('/'),
      message: issue.message,
    }));
    return { ok: false, issues };
  }
  return { ok: true, imported: wizardFromSpec(parsed.data) };
}
