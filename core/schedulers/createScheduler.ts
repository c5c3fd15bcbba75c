import type { StudySpec } from '../api/spec.js';
import { MedianPruner } from './medianPruner.js';
import type { Scheduler } from './scheduler.js';
import { noPruning } from './scheduler.js';

export function createScheduler(spec: StudySpec): Scheduler {
  switch (spec.pruner.type) {
    case 'none':
      return noPruning;
    case 'median':
      return new MedianPruner({ direction: spec.objective.direction, startupTrials: spec.pruner.startupTrials, warmupEpochs: spec.pruner.warmupEpochs });
  }
}
