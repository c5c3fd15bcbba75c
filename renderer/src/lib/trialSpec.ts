import type { Study, Trial } from '../../../core/api/domain.js';
import type { StudySpec } from '../../../core/api/spec.js';

/**
 * The study's spec narrowed to one trial: every parameter fixed to the trial's value, a grid of
 * one. Runs that trial's configuration again (the seed is the study's; trials of one study
 * differ in seed by their number, which a new study of one trial starts again from).
 */
export function trialSpec(study: Pick<Study, 'name' | 'spec'>, trial: Pick<Trial, 'number' | 'params'>): StudySpec {
  return {
    ...study.spec,
    name: `${study.name}-trial-${trial.number}`,
    space: { ...trial.params },
    search: { strategy: 'grid' },
  };
}

/** The trial page's export: what was run, how it went, and a spec that runs it again. */
export function trialExport(study: Pick<Study, 'id' | 'name' | 'spec' | 'objective'>, trial: Trial): { fileName: string; text: string } {
  const document = {
    study: { id: study.id, name: study.name, objective: study.objective },
    trial: {
      number: trial.number, state: trial.state, value: trial.value, bestEpoch: trial.bestEpoch === null ? null : trial.bestEpoch + 1,
      epochsRun: trial.epochsRun, seed: trial.seed, backend: trial.backend, durationMs: trial.durationMs, error: trial.error,
      params: trial.params, notes: trial.notes, tags: trial.tags,
    },
    spec: trialSpec(study, trial),
  };
  return { fileName: `${study.name}-trial-${trial.number}.json`, text: JSON.stringify(document, null, 2) + '\n' };
}
