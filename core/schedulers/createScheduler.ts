import type { StudySpec } from '../api/spec.js';
import { AshaPruner } from './ashaPruner.js';
import { HyperbandPruner } from './hyperbandPruner.js';
import { MedianPruner } from './medianPruner.js';
import type { Scheduler } from './scheduler.js';
import { noPruning } from './scheduler.js';

export function createScheduler(spec: Pick<StudySpec, 'pruner' | 'objective' | 'epochs'>): Scheduler {
  const { pruner } = spec;
  const direction = spec.objective.direction;
  switch (pruner.type) {
    case 'none':
      return noPruning;
    case 'median':
      return new MedianPruner({ direction, startupTrials: pruner.startupTrials, warmupEpochs: pruner.warmupEpochs });
    case 'asha':
      return new AshaPruner({ direction, minEpochs: pruner.minEpochs, reductionFactor: pruner.reductionFactor, maxEpochs: spec.epochs, noiseAware: pruner.noiseAware });
    case 'hyperband':
      return new HyperbandPruner({ direction, minEpochs: pruner.minEpochs, reductionFactor: pruner.reductionFactor, maxEpochs: spec.epochs, noiseAware: pruner.noiseAware });
  }
}
