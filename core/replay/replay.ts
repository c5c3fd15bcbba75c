import type { TrialState } from '../api/domain.js';
import type { PrunerSpec, SearchSpec, SpaceSpec } from '../api/spec.js';
import { conditionalNames } from '../space/conditional.js';
import { prunerSchema, searchSchema } from '../api/spec.js';
import { createScheduler } from '../schedulers/createScheduler.js';
import type { Coordinates, Dimension } from '../space/dimensions.js';
import { coordinateRange, coordinatesOf, spaceDimensions } from '../space/dimensions.js';
import { createStrategy } from '../strategies/createStrategy.js';
import type { TrialSnapshot } from '../strategies/strategy.js';
import type { RecordedTrial, Recording } from './recording.js';

export const replayStrategies = ['grid', 'random', 'sobol', 'tpe'] as const;
export const replayPruners = ['none', 'median', 'asha', 'hyperband'] as const;
export type ReplayStrategy = (typeof replayStrategies)[number];
export type ReplayPruner = (typeof replayPruners)[number];

export interface ReplayOptions {
  strategy: ReplayStrategy;
  pruner: ReplayPruner;
  seed: number;
  /** Relative distance to the recording's best value that counts as reaching it (0.01 = 1%). */
  tolerance: number;
  /** Epochs after which a run gives up (not reached). */
  maxEpochs: number;
  /** Epochs at which the best value so far is read. */
  fixedBudget: number;
}

export interface ReplayRun {
  /** Epochs one worker spent up to and including the first epoch within tolerance; null if never. */
  epochsToTarget: number | null;
  /** The best objective any epoch reached within `fixedBudget` epochs. */
  bestAtBudget: number | null;
}

/** The best value any epoch of any recorded trial reached. */
export function recordingBest(recording: Recording): number {
  const values = recording.trials.flatMap((trial) => trial.curve.filter(Number.isFinite));
  return recording.direction === 'maximize' ? Math.max(...values) : Math.min(...values);
}

/** Every recorded epoch, what running the whole grid once costs. */
export function recordingEpochs(recording: Recording): number {
  return recording.trials.reduce((sum, trial) => sum + trial.curve.length, 0);
}

/**
 * Replays one strategy + pruner against recorded curves, as one worker would run it: the
 * strategy asks, the asked point is snapped to the nearest recorded trial (a grid covers the
 * space it was built from), and the "trial" reads that curve epoch by epoch, telling the real
 * scheduler each value; a stop ends it pruned with its last value, otherwise it completes with
 * its best. A point asked twice is run (and paid for) twice, as a real sweep would.
 */
export function replayOnce(recording: Recording, options: ReplayOptions): ReplayRun {
  const best = recordingBest(recording);
  const isMax = recording.direction === 'maximize';
  const reaches = (value: number) => (isMax ? value >= best - options.tolerance * Math.abs(best) : value <= best + options.tolerance * Math.abs(best));
  const spec = {
    ...recording.spec,
    space: discreteSpace(recording),
    search: searchSchema.parse(options.strategy === 'grid' ? { strategy: 'grid' } : { strategy: options.strategy, trials: 100_000, seed: options.seed }) as SearchSpec,
    pruner: prunerSchema.parse({ type: options.pruner }) as PrunerSpec,
  };
  const strategy = createStrategy(spec);
  const scheduler = createScheduler(spec);
  const nearest = nearestTrial(recording);

  const history: TrialSnapshot[] = [];
  let spent = 0;
  let epochsToTarget: number | null = null;
  let bestAtBudget: number | null = null;
  while (spent < options.maxEpochs && (epochsToTarget === null || spent < options.fixedBudget)) {
    const asked = strategy.ask(history);
    if (!asked) break;
    const recorded = nearest(asked);
    const trialId = history.length + 1;
    let state: TrialState = 'complete';
    let last: number | null = null;
    let trialBest: number | null = null;
    let epochsRun = 0;
    for (let epoch = 0; epoch < recorded.curve.length && spent < options.maxEpochs; epoch += 1) {
      const value = recorded.curve[epoch]!;
      spent += 1;
      epochsRun += 1;
      last = value;
      if (Number.isFinite(value)) {
        if (trialBest === null || (isMax ? value > trialBest : value < trialBest)) trialBest = value;
        if (spent <= options.fixedBudget && (bestAtBudget === null || (isMax ? value > bestAtBudget : value < bestAtBudget))) bestAtBudget = value;
        if (epochsToTarget === null && reaches(value)) epochsToTarget = spent;
      }
      if (epoch < recorded.curve.length - 1 && Number.isFinite(value) && scheduler.report(trialId, epoch, value)) {
        state = 'pruned';
        break;
      }
    }
    if (state === 'complete') scheduler.complete(trialId, recorded.curve);
    history.push(Object.freeze({ number: history.length, params: recorded.params, state, value: state === 'pruned' ? last : trialBest, epochsRun }));
  }
  return { epochsToTarget, bestAtBudget };
}

/**
 * The recorded space with every range narrowed to the values the grid recorded, so strategies
 * ask for points that exist (as Optuna's suggest_categorical would be given them).
 */
function discreteSpace(recording: Recording): SpaceSpec {
  const space: Record<string, unknown> = { ...recording.spec.space };
  for (const name of ['learningRate', ...conditionalNames] as const) {
    const domain = recording.spec.space[name];
    if (domain === undefined || typeof domain === 'number' || 'choice' in domain) continue;
    const values = [...new Set(recording.trials.map((trial) => trial.params[name]).filter((v): v is number => v !== undefined))].sort((a, b) => a - b);
    if (values.length > 0) space[name] = { choice: values };
  }
  return space as SpaceSpec;
}

/** Maps asked params to the closest recorded trial: same choices first, then numeric distance. */
function nearestTrial(recording: Recording): (asked: RecordedTrial['params']) => RecordedTrial {
  const dimensions = spaceDimensions(recording.spec.space);
  const recorded = recording.trials.map((trial) => ({ trial, point: coordinatesOf(dimensions, trial.params) }));
  return (asked) => {
    const point = coordinatesOf(dimensions, asked);
    let best = recorded[0]!;
    let bestDistance = Infinity;
    for (const candidate of recorded) {
      const distance = distanceBetween(dimensions, point, candidate.point);
      if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
    }
    return best.trial;
  };
}

function distanceBetween(dimensions: readonly Dimension[], a: Coordinates, b: Coordinates): number {
  let distance = 0;
  for (const dimension of dimensions) {
    const [x, y] = [a[dimension.name], b[dimension.name]];
    if (x === undefined && y === undefined) continue;
    if (x === undefined || y === undefined) distance += 1000;
    else if (dimension.kind === 'categorical') distance += x === y ? 0 : 1000;
    else {
      const [low, high] = coordinateRange(dimension);
      distance += Math.abs(x - y) / (high - low || 1);
    }
  }
  return distance;
}
